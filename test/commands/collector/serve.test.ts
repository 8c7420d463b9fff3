import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {createCsr, newRsaKeyPem} from '../../../src/collector/pki.js'
import {API} from '../../../src/collector/protocol.js'
import {DEV_BIN, ROOT, runCli} from '../../helpers/run-cli.js'

function call(port: number, ca: string, path: string, body?: object, client?: {keyPem: string; certPem: string}): Promise<{status: number; json: Record<string, unknown>}> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', ca, agent: false, key: client?.keyPem, cert: client?.certPem}, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString('utf8')))
      res.on('end', () => resolve({status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>}))
    })
    req.on('error', reject)
    req.end(body ? JSON.stringify(body) : undefined)
  })
}

describe('nm-guard collector serve (with revoke and export)', function () {
  this.timeout(90_000)
  let child: ChildProcess | undefined

  afterEach(() => {
    child?.kill('SIGTERM')
  })

  it('serves enrollment and reports until SIGTERM; a revoked agent is refused at once; export lists the stored report', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cserve-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', '127.0.0.1'])).code).to.equal(0)
    const token = (JSON.parse((await runCli(['collector', 'token', 'create', '--dir', dir, '--json'])).stdout) as {result: {token: string}}).result.token
    const ca = readFileSync(join(dir, 'ca.cert.pem'), 'utf8')

    const serving = spawn(process.execPath, [DEV_BIN, 'collector', 'serve', '--dir', dir, '--port', '0', '--host', '127.0.0.1'], {cwd: ROOT, env: {...process.env, LANG: 'en_US.UTF-8'}})
    child = serving
    let stderr = ''
    const port = await new Promise<number>((resolve, reject) => {
      serving.stderr.on('data', (d: Buffer) => {
        stderr += d.toString('utf8')
        const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)
        if (match) resolve(Number(match[1]))
      })
      serving.on('exit', () => reject(new Error(`serve exited: ${stderr}`)))
    })
    expect(stderr).not.to.include(token)

    expect((await call(port, ca, API.health)).status).to.equal(200)
    const keyPem = newRsaKeyPem()
    const enrolled = await call(port, ca, API.enroll, {token, csr_pem: createCsr(keyPem, 'x'), hostname: 'gc-pc-01'})
    expect(enrolled.status).to.equal(201)
    const client = {keyPem, certPem: String(enrolled.json.certificate_pem)}
    const agentId = String(enrolled.json.agent_id)
    const text = {zh: '检查', en: 'check'}
    const report = (id: string) => ({
      schema: 'nm-guard/report@1',
      report_id: id,
      generated_at: '2026-01-10T08:00:00.000Z',
      agent: {id: agentId, hostname: 'gc-pc-01', platform: 'linux', nm_guard_version: '0.1.0'},
      host: {hostname: 'gc-pc-01', platform: 'linux', os_name: 'Debian', os_version: '12', arch: 'x64'},
      unit: null,
      policy: {id: 'p', version: '1', sha256: 'a'.repeat(64), title: text},
      facts: {collected_at: '2026-01-10T07:59:00.000Z', sha256: 'b'.repeat(64), unavailable: {}},
      summary: {pass: 0, fail: 2, error: 0, not_applicable: 0, score: 0},
      results: [
        {id: 'screen-lock', title: text, severity: 'high', status: 'fail'},
        {id: 'firewall-on', title: text, severity: 'high', status: 'fail'},
      ],
    })
    const first = '11111111-1111-4111-8111-111111111111'
    expect((await call(port, ca, API.reports, report(first), client)).status).to.equal(201)

    const revoke = await runCli(['collector', 'revoke', '--dir', dir, agentId])
    expect(revoke.code, revoke.stderr).to.equal(0)
    expect((await call(port, ca, API.reports, report('22222222-2222-4222-8222-222222222222'), client)).status).to.equal(403)

    const csv = await runCli(['collector', 'export', '--dir', dir, '--format', 'csv'])
    expect(csv.code, csv.stderr).to.equal(0)
    expect(csv.stdout.split('\r\n')).to.deep.equal([
      'report_id,agent_id,hostname,generated_at,score,failing',
      `${first},${agentId},gc-pc-01,2026-01-10T08:00:00.000Z,0,screen-lock;firewall-on`,
      '',
    ])
    const json = await runCli(['collector', 'export', '--dir', dir, '--format', 'json'])
    expect((JSON.parse(json.stdout) as {report_id: string}[]).map((r) => r.report_id)).to.deep.equal([first])

    const exited = new Promise<null | number>((resolve) => serving.on('exit', (code) => resolve(code)))
    serving.kill('SIGTERM')
    expect(await exited).to.equal(0)
  })

  it('prints, once listening, the dashboard URL and the CA fingerprint that enroll accepts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cserve-')), 'collector')
    const init = JSON.parse((await runCli(['collector', 'init', '--dir', dir, '--host', '127.0.0.1', '--json'])).stdout) as {result: {ca_fingerprint: string}}
    const token = (JSON.parse((await runCli(['collector', 'token', 'create', '--dir', dir, '--json'])).stdout) as {result: {token: string}}).result.token
    const serving = spawn(process.execPath, [DEV_BIN, 'collector', 'serve', '--dir', dir, '--port', '0', '--host', '127.0.0.1', '--lang', 'en'], {cwd: ROOT, env: {...process.env, LANG: 'en_US.UTF-8'}})
    child = serving
    let stderr = ''
    const printed = await new Promise<{dashboard: string; fingerprint: string}>((resolve, reject) => {
      serving.stderr.on('data', (d: Buffer) => {
        stderr += d.toString('utf8')
        const dashboard = /^Dashboard: (\S+)$/m.exec(stderr)?.[1]
        const fingerprint = /^CA fingerprint for agents \(nm-guard enroll --ca-fingerprint\): (\S+)$/m.exec(stderr)?.[1]
        if (dashboard && fingerprint) resolve({dashboard, fingerprint})
      })
      serving.on('exit', () => reject(new Error(`serve exited: ${stderr}`)))
    })
    const port = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1])
    expect(printed).to.deep.equal({dashboard: `https://127.0.0.1:${port}/dashboard`, fingerprint: init.result.ca_fingerprint})
    const login = await new Promise<number>((resolve, reject) => {
      const ca = readFileSync(join(dir, 'ca.cert.pem'), 'utf8')
      httpsRequest(printed.dashboard, {agent: false, ca}, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
    expect(login).to.be.oneOf([200, 302, 303])
    const state = mkdtempSync(join(tmpdir(), 'nmg-cserve-agent-'))
    const enrolled = await runCli(['enroll', `https://127.0.0.1:${port}`, '--token', token, '--ca-fingerprint', printed.fingerprint], {env: {NMG_STATE_DIR: state}})
    expect(enrolled.code, enrolled.stderr).to.equal(0)
  })
})
