import {execFileSync} from 'node:child_process'
import {createPublicKey, verify} from 'node:crypto'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {agentPaths} from '../../../src/agent/paths.js'
import type {UserError} from '../../../src/cli/user-error.js'
import {createCa, createCsr, newRsaKeyPem, signAgentCsr} from '../../../src/collector/pki.js'
import {keyFingerprint, loadSigner, localSigningKeyPath} from '../../../src/incident/evidence/signer.js'
import {hasCommand} from '../../helpers/require-part.js'
import {tempDir} from './evidence-helpers.js'

describe('evidence signer', () => {
  let tmp: ReturnType<typeof tempDir>
  let saved: string | undefined
  beforeEach(() => {
    tmp = tempDir('ev-signer')
    saved = process.env.NMG_STATE_DIR
    process.env.NMG_STATE_DIR = tmp.path
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.NMG_STATE_DIR
    else process.env.NMG_STATE_DIR = saved
    tmp.remove()
  })

  it('without an enrolled agent makes a local key (0600) under the state dir and reuses it', async () => {
    const first = await loadSigner()
    const path = localSigningKeyPath()
    expect(path).to.equal(join(tmp.path, 'incident', 'evidence-signing.key.pem'))
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    expect(first.kind).to.equal('local')
    expect(first).to.not.have.property('certificate_pem')
    const second = await loadSigner()
    expect(second.fingerprint).to.equal(first.fingerprint)
    const data = Buffer.from('manifest bytes')
    expect(verify('sha256', data, second.public_key_pem, Buffer.from(first.sign(data), 'base64'))).to.equal(true)
  })

  it('with an enrolled agent signs with the agent key and carries its certificate', async () => {
    const paths = agentPaths()
    mkdirSync(paths.dir, {recursive: true})
    const ca = createCa('test CA')
    const keyPem = newRsaKeyPem()
    const {certPem} = signAgentCsr(ca, createCsr(keyPem, 'pc-01'), 'agent-0001')
    writeFileSync(paths.key, keyPem, {mode: 0o600})
    writeFileSync(paths.cert, certPem)
    const signer = await loadSigner()
    expect(signer.kind).to.equal('agent')
    expect(signer.certificate_pem).to.equal(certPem)
    expect(signer.fingerprint).to.equal(keyFingerprint(keyPem))
    expect(() => statSync(localSigningKeyPath())).to.throw(/ENOENT/)
    const data = Buffer.from('x')
    expect(verify('sha256', data, createPublicKey(keyPem), Buffer.from(signer.sign(data), 'base64'))).to.equal(true)
  })

  it('falls back to the local key when the agent certificate is for another key', async () => {
    const paths = agentPaths()
    mkdirSync(paths.dir, {recursive: true})
    const ca = createCa('test CA')
    writeFileSync(paths.key, newRsaKeyPem(), {mode: 0o600})
    writeFileSync(paths.cert, signAgentCsr(ca, createCsr(newRsaKeyPem(), 'pc-01'), 'agent-0002').certPem)
    expect((await loadSigner()).kind).to.equal('local')
  })

  it('refuses a damaged local key with a clear message', async () => {
    mkdirSync(join(tmp.path, 'incident'))
    writeFileSync(localSigningKeyPath(), 'garbage')
    const error = await loadSigner().catch((e: unknown) => e)
    expect(error).to.include({key: 'incident.signerKeyDamaged'})
    expect((error as UserError).render('zh-CN')).to.match(/取证签名密钥.*已损坏/)
  })

  it('fingerprints the SPKI DER the way openssl does', async function () {
    if (!hasCommand('openssl')) this.skip()
    const signer = await loadSigner()
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], {input: signer.public_key_pem})
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-r'], {input: der}).toString().split(' ')[0]
    expect(signer.fingerprint).to.equal(digest)
    expect(readFileSync(localSigningKeyPath(), 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----/)
  })
})
