import {randomUUID, X509Certificate} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type ConnectionOptions, connect} from 'node:tls'

import {expect} from 'chai'

import {enroll as enrollAgent} from '../../src/agent/enrollment.js'
import {agentPaths} from '../../src/agent/paths.js'
import {DEFAULT_AUTH_LIMITS} from '../../src/collector/auth-limiter.js'
import {loadCollectorDir, newToken, sha256Hex} from '../../src/collector/collector-dir.js'
import {createCa, createCsr, type KeyAndCert, newRsaKeyPem, signAgentCsr} from '../../src/collector/pki.js'
import {agentIdFromCert, API, caFingerprint, MAX_BODY_BYTES} from '../../src/collector/protocol.js'
import {MAX_CLAUSES_PER_REPORT} from '../../src/collector/report-view.js'
import {type RunningCollector, startCollector} from '../../src/collector/server.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'
import {type CallOptions, callCollector, type Reply} from '../helpers/collector-client.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {csrFor, rsaPublicKey} from '../helpers/hostile-csr.js'
import {type CertifiedAgent, enrollOverApi, insertEnrollToken, sampleNotice, sampleReport as sharedReport} from '../helpers/enrolled-agent.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../helpers/postgres.js'
import {refusal} from '../helpers/refusal.js'
import {requirePart} from '../helpers/require-part.js'
import {storedReports} from '../helpers/stored-reports.js'

const sampleReport = (agentId: null | string, overrides: Record<string, unknown> = {}): Record<string, unknown> => sharedReport(agentId, undefined, overrides)

describe('collector server (real TLS on 127.0.0.1)', function () {
  this.timeout(60_000)
  let collector: CollectorInstance
  let ca: KeyAndCert
  let adminToken: string
  let store: CollectorStore

  const call = (path: string, options: CallOptions = {}): Promise<Reply> => collector.call(path, options)

  async function newEnrollToken(uses = 1, expiresAt = new Date(Date.now() + 3_600_000).toISOString()): Promise<string> {
    const token = newToken('nmg_enroll')
    await store.insertToken({hash: sha256Hex(token), expires_at: expiresAt, uses_left: uses})
    return token
  }

  const enroll = async (hostname = 'gc-pc-01'): Promise<CertifiedAgent> => enrollOverApi(call, await newEnrollToken(), hostname)

  before(async () => {
    collector = await startTestCollector('nmg-collector-')
    ;({adminToken, ca, store} = collector)
  })

  after(async () => {
    await collector?.close()
  })

  it('speaks TLS 1.3, and TLS 1.2 only with ECDHE and AEAD ciphers', async () => {
    const handshake = (options: ConnectionOptions) =>
      new Promise<string>((resolve) => {
        const socket = connect({ca: ca.certPem, host: '127.0.0.1', port: collector.running.port, rejectUnauthorized: false, ...options}, () => {
          resolve(`${socket.getProtocol()} ${socket.getCipher().name}`)
          socket.end()
        })
        socket.on('error', () => resolve('refused'))
      })
    expect(await handshake({})).to.match(/^TLSv1\.3 TLS_/)
    expect(await handshake({ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', maxVersion: 'TLSv1.2'})).to.equal('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256')
    for (const cipher of ['AES128-GCM-SHA256', 'AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384', 'DHE-RSA-AES128-GCM-SHA256']) {
      expect(await handshake({ciphers: cipher, maxVersion: 'TLSv1.2'}), cipher).to.equal('refused')
    }
  })

  it('answers /healthz without a client certificate', async () => {
    const reply = await call(API.health)
    expect([reply.status, reply.json]).to.deep.equal([200, {status: 'ok'}])
  })

  describe('enrollment', () => {
    it('issues a clientAuth certificate whose CN is the assigned id, and uses the token up', async () => {
      const keyPem = newRsaKeyPem()
      const token = await newEnrollToken()
      const body = {token, csr_pem: createCsr(keyPem, 'i-choose-my-own-id'), hostname: 'gc-pc-07'}
      const reply = await call(API.enroll, {body})
      expect(reply.status, reply.text).to.equal(201)
      const agentId = String(reply.json.agent_id)
      expect(agentId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(reply.json.ca_certificate_pem).to.equal(ca.certPem)
      const certPem = String(reply.json.certificate_pem)
      expect(agentIdFromCert(certPem)).to.equal(agentId)
      const cert = new X509Certificate(certPem)
      expect(cert.subject).to.include('O=nm-guard agent')
      expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).to.equal(true)
      expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2'])
      expect((await store.getAgent(agentId))?.hostname).to.equal('gc-pc-07')
      const again = await call(API.enroll, {body: {...body, csr_pem: createCsr(newRsaKeyPem(), 'x')}})
      expect([again.status, typeof again.json.error]).to.deep.equal([401, 'string'])
    })

    it('refuses an expired or unknown token with 401', async () => {
      const csr = createCsr(newRsaKeyPem(), 'x')
      const expired = await newEnrollToken(5, new Date(Date.now() - 1000).toISOString())
      expect((await call(API.enroll, {body: {token: expired, csr_pem: csr, hostname: 'h'}})).status).to.equal(401)
      expect((await call(API.enroll, {body: {token: 'nmg_enroll_nope', csr_pem: csr, hostname: 'h'}})).status).to.equal(401)
    })

    it('refuses a bad CSR with 400 and keeps the token', async () => {
      const token = await newEnrollToken()
      const csr = createCsr(newRsaKeyPem(), 'x')
      // The same CSR with one bit of its signature (the last bytes of the DER) flipped.
      const der = Buffer.from(csr.replaceAll(/-----[^-]+-----|\s/g, ''), 'base64')
      der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01
      const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`
      expect((await call(API.enroll, {body: {token, csr_pem: tampered, hostname: 'h'}})).status).to.equal(400)
      expect((await call(API.enroll, {body: {token, csr_pem: 'not a csr', hostname: 'h'}})).status).to.equal(400)
      expect((await call(API.enroll, {body: {token, csr_pem: csr, hostname: 'h'}})).status).to.equal(201)
    })

    it('checks the token before the CSR: hostile CSRs cost no crypto, /healthz stays quick, the token stays usable', async () => {
      // The attack of issue #11: a 4096-bit modulus with a 4096-bit exponent (pure-JS verification
      // of one took 29 s of CPU). Without a token it is refused before the CSR is read.
      const hostile = csrFor(rsaPublicKey(4096, 'big'))
      const started = performance.now()
      const flood = Array.from({length: 20}, () => call(API.enroll, {body: {token: 'nmg_enroll_guess', csr_pem: hostile, hostname: 'h'}}))
      const health = await call(API.health)
      const healthMs = performance.now() - started
      expect((await Promise.all(flood)).map((r) => r.status)).to.deep.equal(Array(20).fill(401))
      expect(health.status).to.equal(200)
      // Twenty TLS handshakes share the same event loop; the crypto that used to block it is gone.
      expect(healthMs).to.be.below(2000)
      // With a real token the key policy refuses it (400) before any signature work, and the token survives.
      const token = await newEnrollToken()
      const refused = await call(API.enroll, {body: {token, csr_pem: hostile, hostname: 'h'}})
      expect([refused.status, (refused.json as {error: string}).error]).to.deep.equal([400, 'the CSR key must be RSA of 2048 to 4096 bits with exponent 65537, or EC P-256'])
      expect(await store.tokenUsable(sha256Hex(token), new Date().toISOString())).to.equal(true)
    })

    it('answers malformed enrollment requests with 400', async () => {
      expect((await call(API.enroll, {body: '{"token":'})).status).to.equal(400)
      expect((await call(API.enroll, {body: {token: 'x'}})).status).to.equal(400)
      expect((await call(API.enroll, {body: [1, 2]})).status).to.equal(400)
      expect((await call(API.enroll, {method: 'GET'})).status).to.equal(405)
    })
  })

  describe('reports', () => {
    let agent: KeyAndCert & {agentId: string}

    before(async () => {
      agent = await enroll()
    })

    it('stores a report once: 201, then 200 for the same report_id', async () => {
      const report = sampleReport(agent.agentId)
      const first = await call(API.reports, {body: report, client: agent})
      expect([first.status, first.json]).to.deep.equal([201, {report_id: report.report_id, stored: true}])
      const second = await call(API.reports, {body: report, client: agent})
      expect([second.status, second.json]).to.deep.equal([200, {report_id: report.report_id, stored: false}])
      const stored = await storedReports(store, agent.agentId)
      expect(stored.map((r) => [r.report_id, r.score, r.failing])).to.deep.equal([[report.report_id, 0.5, ['screen-lock']]])
    })

    it('refuses a connection without a client certificate (401)', async () => {
      expect((await call(API.reports, {body: sampleReport(agent.agentId)})).status).to.equal(401)
    })

    it('refuses a self-signed certificate (401)', async () => {
      const selfSigned = createCa(agent.agentId)
      expect((await call(API.reports, {body: sampleReport(agent.agentId), client: selfSigned})).status).to.equal(401)
    })

    it("refuses another CA's certificate for the same agent id (401)", async () => {
      const otherCa = createCa('another CA')
      const keyPem = newRsaKeyPem()
      const {certPem} = signAgentCsr(otherCa, createCsr(keyPem, 'x'), agent.agentId)
      expect((await call(API.reports, {body: sampleReport(agent.agentId), client: {certPem, keyPem}})).status).to.equal(401)
    })

    it('refuses a revoked agent (403) and stores nothing', async () => {
      const revoked = await enroll('gc-pc-99')
      await store.revokeAgent(revoked.agentId, new Date().toISOString())
      const reply = await call(API.reports, {body: sampleReport(revoked.agentId), client: revoked})
      expect(reply.status).to.equal(403)
      expect(await storedReports(store, revoked.agentId)).to.deep.equal([])
    })

    it("refuses a report that claims another agent's id (403)", async () => {
      const other = await enroll('gc-pc-02')
      expect((await call(API.reports, {body: sampleReport(other.agentId), client: agent})).status).to.equal(403)
      expect((await call(API.reports, {body: sampleReport(null), client: agent})).status).to.equal(403)
    })

    it('answers malformed JSON and a wrong schema with 400', async () => {
      const bad = await call(API.reports, {body: '{"schema": "nm-guard/report@1",', client: agent})
      expect([bad.status, bad.json.error]).to.deep.equal([400, 'body is not valid JSON'])
      const wrong = await call(API.reports, {body: sampleReport(agent.agentId, {summary: {score: 'high'}}), client: agent})
      expect(wrong.status).to.equal(400)
      expect(String(wrong.json.error)).to.include('report@1')
      expect((await call(API.reports, {body: sampleReport(agent.agentId, {schema: 'nm-guard/report@2'}), client: agent})).status).to.equal(400)
    })

    it('answers a body over 1 MiB with 413, with or without Content-Length', async () => {
      const big = sampleReport(agent.agentId, {padding: 'x'.repeat(MAX_BODY_BYTES)})
      expect((await call(API.reports, {body: big, client: agent})).status).to.equal(413)
      const chunked = await call(API.reports, {body: big, client: agent, headers: {'transfer-encoding': 'chunked'}})
      expect(chunked.status).to.equal(413)
    })
  })

  describe('hostile requests get a 4xx and cost little', () => {
    /** Raw TLS: writes `head`, then (optionally) body bytes without end; resolves with the status line and bytes sent. */
    const raw = (head: string, push = false) =>
      new Promise<{status: string; sent: number}>((resolve) => {
        let sent = 0
        let answer = ''
        const socket = connect({ca: ca.certPem, host: '127.0.0.1', port: collector.running.port, rejectUnauthorized: false}, () => {
          socket.write(head)
          if (!push) return
          // One chunked-encoding frame of 64 KiB, sent over and over.
          const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(65_536, 0x78), Buffer.from('\r\n')])
          const pump = () => {
            while (!socket.destroyed && sent < 400_000_000) {
              sent += chunk.length
              if (!socket.write(chunk)) return void socket.once('drain', pump)
            }
          }
          pump()
        })
        socket.on('data', (d: Buffer) => (answer += d.toString('latin1')))
        socket.on('error', () => {})
        socket.on('close', () => resolve({sent, status: answer.split('\r\n')[0] ?? ''}))
      })

    it('answers an endless body with 413 and closes, instead of reading it to its end', async () => {
      const {sent, status} = await raw(`POST ${API.enroll} HTTP/1.1\r\nHost: c\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, true)
      expect(status).to.equal('HTTP/1.1 413 Payload Too Large')
      // 1 MiB accepted, then the connection closes: far from the 400 MB the client would push.
      expect(sent).to.be.below(64 * 1024 * 1024)
    })

    it('answers a request target that is no URL, a broken %-escape and NUL characters with 400', async () => {
      expect((await raw('GET http://[ HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n')).status).to.equal('HTTP/1.1 400 Bad Request')
      const broken = await call(`${API.agentPrefix}%E0%A4%A`, {headers: {authorization: `Bearer ${adminToken}`}})
      expect([broken.status, broken.json.error]).to.deep.equal([400, 'the path has an invalid %-escape'])
      const token = await newEnrollToken()
      const nul = await call(API.enroll, {body: {token, csr_pem: createCsr(newRsaKeyPem(), 'x'), hostname: 'pc\u0000evil'}})
      expect([nul.status, nul.json.error]).to.deep.equal([400, 'NUL characters are not accepted'])
      expect(await store.tokenUsable(sha256Hex(token), new Date().toISOString())).to.equal(true)
    })

    it("takes the report it received last as a PC's latest, whatever the PC's clock said", async () => {
      const pc = await enroll('gc-pc-clock-back')
      const first = sampleReport(pc.agentId, {generated_at: new Date().toISOString()})
      expect((await call(API.reports, {body: first, client: pc})).status).to.equal(201)
      // The PC's clock was set back a year: its next report is still its latest. (A pause, so the
      // collector's own clock tells the two apart rather than the tie rule.)
      await new Promise((resolve) => setTimeout(resolve, 5))
      const second = sampleReport(pc.agentId, {generated_at: new Date(Date.now() - 365 * 86_400_000).toISOString()})
      expect((await call(API.reports, {body: second, client: pc})).status).to.equal(201)
      const fleetLine = (await store.listAgentsWithLatest()).find((a) => a.agent.agent_id === pc.agentId)
      expect(fleetLine?.latest?.report_id).to.equal(second.report_id)
      expect((await storedReports(store, pc.agentId)).map((r) => r.report_id)).to.deep.equal([second.report_id, first.report_id])
    })

    it('refuses impossible and future dates (400), and scores a report from its results, not its summary', async () => {
      const pc = await enroll('gc-pc-clock')
      const future = await call(API.reports, {body: sampleReport(pc.agentId, {generated_at: '9999-12-31T23:59:59.000Z'}), client: pc})
      expect(future.status).to.equal(400)
      expect(String(future.json.error)).to.match(/^generated_at is \d+ minutes ahead of the collector's clock/)
      expect((await call(API.reports, {body: sampleReport(pc.agentId, {generated_at: '2026-19-39T29:69:69Z'}), client: pc})).status).to.equal(400)
      expect((await call(API.incidents, {body: {...sampleNotice(pc.agentId), at: '9999-12-31T23:59:59.000Z'}, client: pc})).status).to.equal(400)
      // A report whose checks fail but whose summary claims a full score is stored with the real one.
      const body = sampleReport(pc.agentId) as {results: Array<{status: string}>; summary: {score: number}}
      const failing = body.results.filter((r) => r.status === 'fail').length
      expect(failing).to.be.greaterThan(0)
      body.summary.score = 1
      expect((await call(API.reports, {body, client: pc})).status).to.equal(201)
      const [stored] = await storedReports(store, pc.agentId)
      expect(stored?.score).to.be.below(1)
    })

    it("bounds a report's clauses and never takes a clause text from an agent", async () => {
      const pc = await enroll('gc-pc-clauses')
      const many = Array.from({length: MAX_CLAUSES_PER_REPORT + 1}, (_, i) => ({id: `c${i}`, title: {en: 'c', zh: 'c'}, severity: 'low', status: 'fail', clause: {id: `X-${i}`, text: 'x'}}))
      const tooMany = await call(API.reports, {body: sampleReport(pc.agentId, {results: many}), client: pc})
      expect([tooMany.status, tooMany.json.error]).to.deep.equal([400, `a report may name at most ${MAX_CLAUSES_PER_REPORT} clauses`])
      const rewritten = sampleReport(pc.agentId, {
        results: [
          {id: 'lock', title: {en: 'c', zh: 'c'}, severity: 'high', status: 'fail', clause: {id: '四(二)-10', text: '本条款已废止，无需整改'}},
          {id: 'custom', title: {en: 'c', zh: 'c'}, severity: 'low', status: 'fail', clause: {id: 'X-9', text: 'made up'}},
        ],
      })
      expect((await call(API.reports, {body: rewritten, client: pc})).status).to.equal(201)
      const row = (await store.listAgentsWithLatest()).find((a) => a.agent.agent_id === pc.agentId)
      expect(row?.latest?.failing_clauses).to.have.members(['四(二)-10', 'X-9'])
    })

    it("refuses a report_id or notice_id another agent already used (409), storing nothing for the sender", async () => {
      const a = await enroll('gc-pc-a')
      const b = await enroll('gc-pc-b')
      const first = sampleReport(a.agentId)
      expect((await call(API.reports, {body: first, client: a})).status).to.equal(201)
      const stolen = await call(API.reports, {body: {...sampleReport(b.agentId), report_id: first.report_id}, client: b})
      expect([stolen.status, stolen.json.error]).to.deep.equal([409, 'report_id is already used by another agent'])
      expect(await storedReports(store, b.agentId)).to.deep.equal([])
      // The owner's own resend is still the idempotent 200.
      expect((await call(API.reports, {body: first, client: a})).status).to.equal(200)
      const notice = sampleNotice(a.agentId)
      expect((await call(API.incidents, {body: notice, client: a})).status).to.equal(201)
      expect((await call(API.incidents, {body: {...sampleNotice(b.agentId), notice_id: notice.notice_id}, client: b})).status).to.equal(409)
      expect(await store.listIncidents(b.agentId)).to.deep.equal([])
    })
  })

  describe('admin endpoints', () => {
    let agent: KeyAndCert & {agentId: string}
    let reportId: string

    before(async () => {
      agent = await enroll('=cmd|calc')
      const report = sampleReport(agent.agentId)
      reportId = String(report.report_id)
      expect((await call(API.reports, {body: report, client: agent})).status).to.equal(201)
    })

    const bearer = (token: string) => ({authorization: `Bearer ${token}`})

    it('refuse a missing or wrong admin token with 401', async () => {
      for (const path of [API.fleet, API.exportCsv, `${API.agentPrefix}${randomUUID()}`]) {
        expect((await call(path)).status, path).to.equal(401)
        expect((await call(path, {headers: bearer('nmg_admin_wrong')})).status, path).to.equal(401)
      }
      // An agent certificate is no admin credential.
      expect((await call(API.fleet, {client: agent})).status).to.equal(401)
    })

    it('list the fleet with each agent’s latest score and failing checks', async () => {
      const reply = await call(API.fleet, {headers: bearer(adminToken)})
      expect(reply.status).to.equal(200)
      const entry = (reply.json.agents as Record<string, unknown>[]).find((a) => a.agent_id === agent.agentId)
      expect(entry).to.include({hostname: '=cmd|calc', score: 0.5, stale: false, revoked: false, last_report_at: '2026-01-10T08:00:00.000Z'})
      expect(entry?.failing).to.deep.equal(['screen-lock'])
    })

    it('show one agent with its reports, and 404 for an unknown one', async () => {
      const reply = await call(`${API.agentPrefix}${agent.agentId}`, {headers: bearer(adminToken)})
      expect(reply.status).to.equal(200)
      expect(reply.json.reports).to.deep.equal([{report_id: reportId, generated_at: '2026-01-10T08:00:00.000Z', score: 0.5, failing: ['screen-lock']}])
      expect((await call(`${API.agentPrefix}${randomUUID()}`, {headers: bearer(adminToken)})).status).to.equal(404)
    })

    it("page an agent's history: the newest 100, then the older page by its cursor; a bad cursor is a 400", async () => {
      const pc = await enroll('gc-pc-history')
      for (let day = 0; day < 103; day++) {
        const at = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString()
        await store.insertReport({report_id: randomUUID(), agent_id: pc.agentId, generated_at: at, received_at: at, score: 1, failing: [], body: {}})
      }
      const first = await call(`${API.agentPrefix}${pc.agentId}`, {headers: bearer(adminToken)})
      const newest = first.json.reports as {generated_at: string}[]
      expect([newest.length, newest[0]?.generated_at, first.json.agent && (first.json.agent as {last_report_at: string}).last_report_at]).to.deep.equal([100, '2025-04-13T00:00:00.000Z', '2025-04-13T00:00:00.000Z'])
      const older = await call(`${API.agentPrefix}${pc.agentId}?before=${encodeURIComponent(String(first.json.older))}`, {headers: bearer(adminToken)})
      expect((older.json.reports as {generated_at: string}[]).map((r) => r.generated_at)).to.deep.equal(['2025-01-03T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z'])
      expect(older.json.older).to.equal(null)
      // The fleet line still shows the newest report on an older page.
      expect((older.json.agent as {last_report_at: string}).last_report_at).to.equal('2025-04-13T00:00:00.000Z')
      for (const bad of ['x', '2025-02-30T00:00:00.000Z_ab', "2025-01-01T00:00:00.000Z_' OR 1=1"]) {
        expect((await call(`${API.agentPrefix}${pc.agentId}?before=${encodeURIComponent(bad)}`, {headers: bearer(adminToken)})).status, bad).to.equal(400)
      }
    })

    it('export the reports received in one period (from inclusive, to exclusive); a date that does not exist is a 400', async () => {
      const today = new Date().toISOString().slice(0, 10)
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
      const inPeriod = await call(`${API.exportCsv}?from=${today}&to=${tomorrow}`, {headers: bearer(adminToken)})
      expect(inPeriod.status).to.equal(200)
      expect(inPeriod.text).to.include(reportId)
      const before = await call(`${API.exportCsv}?to=${today}`, {headers: bearer(adminToken)})
      expect(before.text).not.to.include(reportId)
      expect(before.text.split('\r\n')[0]).to.equal('report_id,agent_id,hostname,generated_at,score,failing')
      for (const bad of ['2026-02-30', '2026-13-01', 'yesterday']) expect((await call(`${API.exportCsv}?from=${bad}`, {headers: bearer(adminToken)})).status, bad).to.equal(400)
    })

    it('export CSV, one row per report, with formulas defused', async () => {
      const reply = await call(API.exportCsv, {headers: bearer(adminToken)})
      expect(reply.status).to.equal(200)
      expect(reply.type).to.match(/^text\/csv/)
      const lines = reply.text.trimEnd().split('\r\n')
      expect(lines[0]).to.equal('report_id,agent_id,hostname,generated_at,score,failing')
      expect(lines).to.include(`${reportId},${agent.agentId},'=cmd|calc,2026-01-10T08:00:00.000Z,0.5,screen-lock`)
    })
  })

  describe('limits on guessing (issue #11 1.8), counted in the database', () => {
    let strict: CollectorInstance
    let twin: RunningCollector

    before(async () => {
      strict = await startTestCollector('nmg-limits-', {authLimits: DEFAULT_AUTH_LIMITS})
      // A second collector on the same database, as a district running two would.
      const loaded = loadCollectorDir(strict.dir)
      const twinStore = await openStore(`sqlite:${join(strict.dir, 'collector.db')}`)
      twin = await startCollector({adminTokenSha256: loaded.settings.admin_token_sha256, ca: loaded.ca, server: loaded.server, staleDays: 3, store: twinStore}, 0, '127.0.0.1')
      twin.server.once('close', () => void twinStore.close())
    })

    after(async () => {
      await twin?.close()
      await strict?.close()
    })

    it('answers 200 wrong admin tokens with 10 × 401, then 429 with Retry-After, on both collectors, the right token unchecked', async () => {
      const wrong = {headers: {authorization: 'Bearer nmg_admin_guess'}}
      const statuses: number[] = []
      for (let i = 0; i < 200; i++) statuses.push((await strict.call(API.fleet, wrong)).status)
      expect(statuses.slice(0, 10)).to.deep.equal(Array(10).fill(401))
      expect(statuses.slice(10)).to.deep.equal(Array(190).fill(429))
      const viaTwin = await callCollector(twin.port, strict.ca.certPem, API.fleet, {headers: {authorization: `Bearer ${strict.adminToken}`}})
      expect(viaTwin.status).to.equal(429)
      expect(Number(viaTwin.headers['retry-after'])).to.be.within(1, 60)
    })

    it('refuses enrollment guesses past 10 a minute, before reading the token', async () => {
      const body = {token: 'nmg_enroll_guess', csr_pem: createCsr(newRsaKeyPem(), 'x'), hostname: 'h'}
      const statuses: number[] = []
      for (let i = 0; i < 12; i++) statuses.push((await callCollector(i % 2 === 0 ? strict.running.port : twin.port, strict.ca.certPem, API.enroll, {body})).status)
      expect(statuses).to.deep.equal([...Array(10).fill(401), 429, 429])
      const good = await insertEnrollToken(strict.store, 1)
      expect((await strict.call(API.enroll, {body: {...body, token: good}})).status).to.equal(429)
      expect(await strict.store.tokenUsable(sha256Hex(good), new Date().toISOString())).to.equal(true)
      // The operator's `nm-guard enroll` says so in plain words, with the wait.
      const paths = agentPaths(mkdtempSync(join(tmpdir(), 'nmg-limited-agent-')))
      const error = await refusal(enrollAgent({caFingerprint: caFingerprint(strict.ca.certPem), force: false, paths, token: good, url: `https://127.0.0.1:${strict.running.port}`}))
      expect(error.key).to.equal('agent.enrollLimited')
      expect(Number(error.params.seconds)).to.be.within(1, 60)
    })
  })

  it('pins by the fingerprint of ca.cert.pem', () => {
    expect(caFingerprint(ca.certPem)).to.equal(loadCollectorDir(collector.dir).settings.ca_fingerprint)
  })

  it('answers unknown paths with 404', async () => {
    expect((await call('/nope')).status).to.equal(404)
  })

  it('sends a browser at / to the dashboard', async () => {
    const reply = await call('/')
    expect([reply.status, reply.headers.location]).to.deep.equal([302, '/dashboard'])
    expect((await call('/', {body: 'x'})).status).to.equal(405)
  })
})

// Incident notices (issue 5) through the real server, on both databases.
const backends: {name: string; db?: (ctx: Mocha.Context) => () => Promise<string>}[] = [
  {name: 'SQLite'},
  {
    name: 'PostgreSQL',
    db(ctx) {
      requirePart(ctx, postgresBinDir() !== null, POSTGRES_PACKAGE)
      return freshDatabase
    },
  },
]

for (const backend of backends) {
  describe(`collector incident notices (${backend.name})`, function () {
    this.timeout(60_000)
    let collector: CollectorInstance
    let store: CollectorStore
    let agent: CertifiedAgent
    let other: CertifiedAgent

    const call = (path: string, options: CallOptions = {}): Promise<Reply> => collector.call(path, options)
    const admin = {authorization: ''}

    before(async function () {
      collector = await startTestCollector('nmg-incidents-', {db: backend.db?.(this)})
      store = collector.store
      admin.authorization = `Bearer ${collector.adminToken}`
      const token = await insertEnrollToken(store, 3)
      agent = await enrollOverApi(call, token, 'gc-pc-01')
      other = await enrollOverApi(call, token, 'gc-pc-02')
    })

    after(async () => {
      await collector?.close()
    })

    it('stores a notice once (201, then 200), marks the PC isolated in the fleet, and clears it on reconnect', async () => {
      const isolated = sampleNotice(agent.agentId, {at: '2026-01-10T09:00:00+08:00'})
      const first = await call(API.incidents, {body: isolated, client: agent})
      expect([first.status, first.json]).to.deep.equal([201, {notice_id: isolated.notice_id, stored: true}])
      const again = await call(API.incidents, {body: isolated, client: agent})
      expect([again.status, again.json]).to.deep.equal([200, {notice_id: isolated.notice_id, stored: false}])

      let fleet = (await call(API.fleet, {headers: admin})).json.agents as Record<string, unknown>[]
      expect(fleet.find((a) => a.agent_id === agent.agentId)).to.include({isolated: true, isolated_since: '2026-01-10T01:00:00.000Z'})
      expect(fleet.find((a) => a.agent_id === other.agentId)).to.include({isolated: false, isolated_since: null})

      const reconnected = sampleNotice(agent.agentId, {event: 'reconnected', incident_id: isolated.incident_id, at: '2026-01-10T03:00:00.000Z', method: null, reason: null, evidence_sha256: null, keep_collector: false})
      expect((await call(API.incidents, {body: reconnected, client: agent})).status).to.equal(201)
      fleet = (await call(API.fleet, {headers: admin})).json.agents as Record<string, unknown>[]
      expect(fleet.find((a) => a.agent_id === agent.agentId)).to.include({isolated: false, isolated_since: null})

      const detail = await call(`${API.agentPrefix}${agent.agentId}`, {headers: admin})
      expect(detail.status).to.equal(200)
      const incidents = detail.json.incidents as Record<string, unknown>[]
      expect(incidents.map((i) => [i.notice_id, i.event, i.at])).to.deep.equal([
        [reconnected.notice_id, 'reconnected', '2026-01-10T03:00:00.000Z'],
        [isolated.notice_id, 'isolated', '2026-01-10T01:00:00.000Z'],
      ])
      expect(incidents[1]).to.deep.include({incident_id: isolated.incident_id, hostname: 'gc-pc-01', method: 'nftables', reason: '疑似账号被盗', evidence_sha256: 'd'.repeat(64), keep_collector: true})
      expect(incidents[1]).to.not.have.property('agent_id')
      expect((await call(`${API.agentPrefix}${other.agentId}`, {headers: admin})).json.incidents).to.deep.equal([])
    })

    it("refuses a notice naming another agent, or none, with 403 and stores nothing", async () => {
      for (const agentId of [other.agentId, null]) {
        const reply = await call(API.incidents, {body: sampleNotice(agentId), client: agent})
        expect(reply.status, reply.text).to.equal(403)
      }
      expect(await store.listIncidents(other.agentId)).to.deep.equal([])
    })

    it('refuses a missing or foreign client certificate (401) and a revoked agent (403)', async () => {
      expect((await call(API.incidents, {body: sampleNotice(agent.agentId)})).status).to.equal(401)
      const foreign = createCa(agent.agentId)
      expect((await call(API.incidents, {body: sampleNotice(agent.agentId), client: foreign})).status).to.equal(401)
      const revoked = await enrollOverApi(call, await insertEnrollToken(store, 1), 'gc-pc-99')
      await store.revokeAgent(revoked.agentId, new Date().toISOString())
      expect((await call(API.incidents, {body: sampleNotice(revoked.agentId), client: revoked})).status).to.equal(403)
      expect(await store.listIncidents(revoked.agentId)).to.deep.equal([])
    })

    it('answers bad input with a clear 4xx, never a 5xx', async () => {
      const bad = async (body: unknown, status = 400): Promise<string> => {
        const reply = await call(API.incidents, {body: body as object, client: agent})
        expect(reply.status, reply.text).to.equal(status)
        return String(reply.json.error)
      }
      expect(await bad('{"schema":')).to.equal('body is not valid JSON')
      expect(await bad(sampleNotice(agent.agentId, {event: 'exploded' as 'isolated'}))).to.include('incident@1')
      expect(await bad({...sampleNotice(agent.agentId), schema: 'nm-guard/report@1'})).to.include('incident@1')
      await bad(sampleNotice(agent.agentId, {notice_id: 'not-a-uuid'}))
      await bad(sampleNotice(agent.agentId, {at: 'yesterday'}))
      await bad(sampleNotice(agent.agentId, {at: '2026-13-45T99:99:99Z'}))
      await bad(sampleNotice(agent.agentId, {evidence_sha256: 'XYZ'}))
      await bad(sampleNotice(agent.agentId, {keep_collector: 'yes' as unknown as boolean}))
      await bad({...sampleNotice(agent.agentId), extra: 1})
      const {hostname: _h, ...missing} = sampleNotice(agent.agentId)
      await bad(missing)
      await bad([sampleNotice(agent.agentId)])
      await bad({...sampleNotice(agent.agentId), reason: 'x'.repeat(1024 * 1024)}, 413)
      expect((await call(API.incidents, {client: agent})).status).to.equal(405)
      expect(await store.listIncidents(agent.agentId)).to.have.length(2)
    })
  })
}
