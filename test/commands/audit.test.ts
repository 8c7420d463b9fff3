import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {defaultPolicyPath} from '../../src/policy/load-policy.js'
import {addRows, compliantFacts} from '../helpers/facts-builder.js'
import {runCli, tempFile} from '../helpers/run-cli.js'
import {SAMPLE_POLICY_ARGS as SAMPLE} from '../helpers/sample-policy.js'

const proc = (name: string) => ({name, path: null, pid: 9, user: null})

describe('nm-guard audit (CLI)', function () {
  this.timeout(60_000)
  const clean = tempFile('clean.json', compliantFacts('win32'))
  const dirtyFacts = addRows(compliantFacts('win32'), 'processes', proc('ToDesk.exe'), proc('wegame.exe'))
  dirtyFacts.host.hostname = '<img src=x onerror=alert(1)>'
  const dirty = tempFile('dirty.json', dirtyFacts)

  it('exits 0 on a compliant snapshot', async () => {
    const r = await runCli(['audit', '--facts', clean, '--format', 'table', ...SAMPLE])
    expect(r.stderr).to.equal('')
    expect(r.code).to.equal(0)
    expect(r.stdout).to.match(/Score 100%: 26 passed, 0 failed/)
  })

  it('with the default policy not yet configured, says so for the network checks: error, never fail', async () => {
    const r = await runCli(['audit', '--facts', clean, '--format', 'json'])
    expect(r.code).to.equal(3)
    const report = JSON.parse(r.stdout) as {results: Array<{id: string; status: string; evidence: {rules: Array<{reason?: {key: string}}>}}>}
    expect(report.results.filter((x) => x.status === 'fail').map((x) => x.id)).to.deep.equal([])
    const unconfigured = report.results.filter((x) => x.evidence.rules.some((rule) => rule.reason?.key === 'reason.notConfigured')).map((x) => x.id)
    expect(unconfigured).to.deep.equal(['wifi-approved-network', 'no-mobile-hotspot', 'vpn-outside-approved-networks'])
    const zh = await runCli(['audit', '--facts', clean, '--format', 'table', '--lang', 'zh-CN'])
    expect(zh.stdout).to.contain('本区策略尚未配置（批准的 Wi-Fi 网络）：请用 nm-guard policy init 设置')
  })

  it('exits 3 and prints the report@1 contract with --format json', async () => {
    const r = await runCli(['audit', '--facts', dirty, '--format', 'json', ...SAMPLE])
    expect(r.code).to.equal(3)
    const report = JSON.parse(r.stdout)
    expect(report.schema).to.equal('nm-guard/report@1')
    expect(report.report_id).to.match(/^[0-9a-f-]{36}$/)
    expect(report.policy).to.include({id: 'district-gaocheng-district-government-office', version: '1.0.0'})
    expect(report.policy.sha256).to.match(/^[0-9a-f]{64}$/)
    expect(report.summary).to.include({fail: 2, pass: 24})
    const failing = report.results.filter((r: {status: string}) => r.status === 'fail').map((r: {id: string}) => r.id)
    expect(failing).to.deep.equal(['no-games', 'no-remote-control-tools'])
    const rc = report.results.find((r: {id: string}) => r.id === 'no-remote-control-tools')
    expect(rc.title).to.have.keys('zh', 'en')
    expect(rc.remediation).to.have.keys('zh', 'en')
    expect(rc.clause.id).to.equal('四(二)-10')
    expect(rc.evidence.rules[1].matched).to.deep.equal([{name: 'ToDesk.exe', path: null, pid: 9}])
  })

  it('wraps the report in the {status, result, warnings} envelope with --json', async () => {
    const r = await runCli(['audit', '--facts', dirty, '--json'])
    expect(r.code).to.equal(3)
    const envelope = JSON.parse(r.stdout)
    expect(Object.keys(envelope)).to.deep.equal(['status', 'result', 'warnings'])
    expect(envelope.status).to.equal(3)
    expect(envelope.result.schema).to.equal('nm-guard/report@1')
  })

  it('exits 0 when every failure is below --fail-on', async () => {
    const mediumOnly = tempFile('medium.json', addRows(compliantFacts('win32'), 'processes', proc('wegame.exe')))
    expect((await runCli(['audit', '--facts', mediumOnly, '--fail-on', 'high', '--format', 'json', ...SAMPLE])).code).to.equal(0)
    expect((await runCli(['audit', '--facts', mediumOnly, '--fail-on', 'medium', '--format', 'json', ...SAMPLE])).code).to.equal(3)
  })

  it('speaks Chinese with --lang zh-CN or a zh locale, English otherwise', async () => {
    const zh = await runCli(['audit', '--facts', dirty, '--format', 'table', '--lang', 'zh-CN'])
    expect(zh.stdout).to.include('不符合').and.include('整改')
    const locale = await runCli(['audit', '--facts', dirty, '--format', 'table'], {env: {LANG: 'zh_CN.UTF-8'}})
    expect(locale.stdout).to.include('不符合')
    const en = await runCli(['audit', '--facts', dirty, '--format', 'table', '--lang', 'en'])
    expect(en.stdout).to.include('FAIL').and.include('Fix:')
  })

  it('writes a self-contained printable HTML report with every value escaped', async () => {
    const out = tempFile('report.html', '')
    const r = await runCli(['audit', '--facts', dirty, '--format', 'html', '--output', out, '--lang', 'zh-CN'])
    expect(r.code).to.equal(3)
    expect(r.stdout).to.equal('')
    const html = readFileSync(out, 'utf8')
    expect(html).to.match(/^<!DOCTYPE html>/)
    expect(html).to.include('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.to.include('<img')
    expect(html).to.include('主管领导（签字）').and.include('四(二)-10').and.include('石家庄市藁城区')
    expect(html).not.to.match(/<(script|link)\b/)
  })

  it('dates the text and HTML report in the PC\'s time zone, named; JSON keeps ISO UTC', async () => {
    const env = {TZ: 'Asia/Shanghai'}
    const stamp = /\d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Shanghai, UTC\+08:00\)/
    const table = await runCli(['audit', '--facts', clean, '--format', 'table', ...SAMPLE], {env})
    expect(table.stdout.split('\n')[1]).to.match(stamp)
    const out = tempFile('dated.html', '')
    expect((await runCli(['audit', '--facts', clean, '--format', 'html', '--output', out, ...SAMPLE], {env})).code).to.equal(0)
    expect(readFileSync(out, 'utf8')).to.match(stamp)
    const json = JSON.parse((await runCli(['audit', '--facts', clean, '--format', 'json'], {env})).stdout) as {generated_at: string}
    expect(json.generated_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('runs a district’s edited copy of the policy given with --policy', async () => {
    const text = readFileSync(defaultPolicyPath(), 'utf8').replace('approved_ssids: null', 'approved_ssids: [GC-ZWGK-5F, GC-ZWGK-3F]')
    const onCafeWifi = addRows(compliantFacts('win32'), 'wifi')
    onCafeWifi.tables.wifi = {rows: [{bssid: '0a:0b:0c:0d:0e:0f', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'XQ-Library'}]}
    const facts = tempFile('cafe.json', onCafeWifi)
    const wifiStatus = async (policyArgs: string[]) => {
      const r = await runCli(['audit', '--facts', facts, '--format', 'json', ...policyArgs])
      return (JSON.parse(r.stdout) as {results: Array<{id: string; status: string}>}).results.find((x) => x.id === 'wifi-approved-network')?.status
    }
    expect(await wifiStatus(SAMPLE)).to.equal('fail')
    expect(await wifiStatus([]), 'the unconfigured default cannot judge it').to.equal('error')
    const edited = tempFile('district.yaml', text.replace('approved_ssids: [GC-ZWGK-5F, GC-ZWGK-3F]', 'approved_ssids: [GC-ZWGK-5F, XQ-Library]'))
    expect(await wifiStatus(['--policy', edited])).to.equal('pass')
  })

  describe('bad input: one clear line, a non-zero exit, no stack trace', () => {
    const expectOneLine = (stderr: string, pattern: RegExp) => {
      const lines = stderr.trim().split('\n')
      expect(lines, stderr).to.have.length(1)
      expect(lines[0]).to.match(pattern)
      expect(stderr).not.to.match(/\n\s+at /)
    }

    it('a missing facts file', async () => {
      const r = await runCli(['audit', '--facts', '/nonexistent/facts.json'])
      expect(r.code).to.equal(1)
      expectOneLine(r.stderr, /cannot read \/nonexistent\/facts.json: ENOENT/)
    })

    it('a facts file that is not JSON, and one of the wrong schema', async () => {
      const notJson = await runCli(['audit', '--facts', tempFile('x.json', '{nope')])
      expect(notJson.code).to.equal(1)
      expectOneLine(notJson.stderr, /is not valid JSON/)
      const wrong = await runCli(['audit', '--facts', tempFile('y.json', {schema: 'nm-guard/report@1'})])
      expect(wrong.code).to.equal(1)
      expectOneLine(wrong.stderr, /not an nm-guard\/facts@1 snapshot: schema is "nm-guard\/report@1"/)
    })

    it('a malformed policy, located by line and column', async () => {
      const policy = tempFile('bad.yaml', 'policy:\n  id: x\n  version: "1"\n  title: {zh: a, en: a}\nchecks:\n  - id: a\n    severity: urgent\n')
      const r = await runCli(['audit', '--facts', clean, '--policy', policy])
      expect(r.code).to.equal(1)
      expectOneLine(r.stderr, /bad.yaml is not a valid policy \(\d+ problem\(s\)\); line \d+, column \d+: /)
    })

    it('an unknown flag or format is a usage error (exit 2)', async () => {
      expect((await runCli(['audit', '--nope'])).code).to.equal(2)
      const r = await runCli(['audit', '--format', 'pdf'])
      expect(r.code).to.equal(2)
      expect(r.stderr).not.to.match(/\n\s+at /)
    })

    it('under --json the error is in the envelope too', async () => {
      const r = await runCli(['audit', '--facts', '/nonexistent/f.json', '--json'])
      expect(r.code).to.equal(1)
      const envelope = JSON.parse(r.stdout)
      expect(envelope).to.include({result: null, status: 1})
      expect(envelope.error.message).to.match(/cannot read/)
    })
  })
})
