import {X509Certificate} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {enroll, loadEnrollment, requireIdentity} from '../../src/agent/enrollment.js'
import {agentPaths} from '../../src/agent/paths.js'
import {agentIdFromCert, caFingerprint} from '../../src/collector/protocol.js'
import {refusal} from '../helpers/refusal.js'
import {TEST_TOKEN, TestCa, TestCollector} from '../helpers/test-collector.js'


const freshPaths = () => agentPaths(mkdtempSync(join(tmpdir(), 'nmg-agent-')))

describe('agent enrollment', function () {
  this.timeout(30_000)
  const collector = new TestCollector()
  before(() => collector.start())
  after(() => collector.stop())
  beforeEach(() => (collector.bodies.length = 0))

  it('pins the CA, gets a certificate for the assigned agent id and keeps the key owner-only', async () => {
    const paths = freshPaths()
    // Colons and upper case are how people copy fingerprints.
    const typed = collector.ca.fingerprint.toUpperCase().replaceAll(/(..)(?!$)/g, '$1:')
    const enrollment = await enroll({caFingerprint: typed, force: false, paths, token: TEST_TOKEN, url: collector.url})
    expect(enrollment.ca_fingerprint).to.equal(collector.ca.fingerprint)
    expect(enrollment.url).to.equal(collector.url)
    const cert = readFileSync(paths.cert, 'utf8')
    expect(agentIdFromCert(cert)).to.equal(enrollment.agent_id)
    expect(new X509Certificate(cert).subject).to.include('O=nm-guard agent')
    expect(caFingerprint(readFileSync(paths.ca, 'utf8'))).to.equal(collector.ca.fingerprint)
    expect(readFileSync(paths.key, 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----/)
    if (process.platform !== 'win32') expect(statSync(paths.key).mode & 0o777).to.equal(0o600)
    expect(JSON.parse(readFileSync(paths.enrollment, 'utf8'))).to.have.keys('agent_id', 'url', 'ca_fingerprint', 'enrolled_at')
    expect((await requireIdentity(paths)).agent_id).to.equal(enrollment.agent_id)
  })

  it('refuses a server whose chain lacks the pinned CA, before sending the token', async () => {
    const paths = freshPaths()
    const other = new TestCa('another CA')
    const error = await refusal(enroll({caFingerprint: other.fingerprint, force: false, paths, token: TEST_TOKEN, url: collector.url}))
    expect(error.key).to.equal('agent.pin.chain')
    expect(error.exitCode).to.equal(1)
    expect(collector.bodies).to.deep.equal([])
    expect(existsSync(paths.dir)).to.equal(false)
  })

  it('refuses a server that does not send its CA (nothing to pin against)', async () => {
    const bare = new TestCollector(undefined, {sendChain: false})
    await bare.start()
    try {
      const error = await refusal(enroll({caFingerprint: bare.ca.fingerprint, force: false, paths: freshPaths(), token: TEST_TOKEN, url: bare.url}))
      expect(error.key).to.equal('agent.pin.chain')
      expect(bare.bodies).to.deep.equal([])
    } finally {
      await bare.stop()
    }
  })

  it('refuses a chain that carries the pinned CA but a server certificate another CA signed', async () => {
    // Same name as the CA that really signed the server certificate, different key: only the signature tells.
    const pinned = new TestCa('nm-guard test CA')
    const forged = new TestCollector(undefined, {extraChainPem: pinned.certPem})
    await forged.start()
    try {
      const error = await refusal(enroll({caFingerprint: pinned.fingerprint, force: false, paths: freshPaths(), token: TEST_TOKEN, url: forged.url}))
      expect(error.key).to.equal('agent.pin.signature')
      expect(forged.bodies).to.deep.equal([])
    } finally {
      await forged.stop()
    }
  })

  it('refuses a pinned-CA certificate that is not valid for the URL host', async () => {
    const wrongHost = new TestCollector(undefined, {dns: ['collector.example.gov.cn'], ip: []})
    await wrongHost.start()
    try {
      const error = await refusal(enroll({caFingerprint: wrongHost.ca.fingerprint, force: false, paths: freshPaths(), token: TEST_TOKEN, url: wrongHost.url}))
      expect(error.key).to.equal('agent.pin.host')
      expect(wrongHost.bodies).to.deep.equal([])
    } finally {
      await wrongHost.stop()
    }
  })

  it('reports a refused token, a bad fingerprint, a non-https URL and a closed port clearly', async () => {
    const paths = freshPaths()
    expect((await refusal(enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: 'wrong', url: collector.url}))).key).to.equal('agent.tokenRefused')
    expect(await loadEnrollment(paths)).to.equal(null)
    const bad = await refusal(enroll({caFingerprint: 'abc', force: false, paths, token: TEST_TOKEN, url: collector.url}))
    expect([bad.key, bad.exitCode]).to.deep.equal(['agent.badFingerprint', 2])
    const http = await refusal(enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: TEST_TOKEN, url: `http://127.0.0.1:${collector.port}`}))
    expect([http.key, http.exitCode]).to.deep.equal(['agent.badUrl', 2])
    const down = new TestCollector(collector.ca)
    await down.start()
    const {url} = down
    await down.stop()
    const unreachable = await refusal(enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: TEST_TOKEN, url}))
    expect([unreachable.key, unreachable.exitCode, unreachable.params.code]).to.deep.equal(['agent.unreachable', 4, 'ECONNREFUSED'])
  })

  it('needs --force to enroll an enrolled agent again', async () => {
    const paths = freshPaths()
    const first = await enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: TEST_TOKEN, url: collector.url})
    expect((await refusal(enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: TEST_TOKEN, url: collector.url}))).key).to.equal('agent.alreadyEnrolled')
    const second = await enroll({caFingerprint: collector.ca.fingerprint, force: true, paths, token: TEST_TOKEN, url: collector.url})
    expect(second.agent_id).to.not.equal(first.agent_id)
    expect(agentIdFromCert(readFileSync(paths.cert, 'utf8'))).to.equal(second.agent_id)
  })
})
