// Evidence in plain words: every line a person reads is a sentence from the catalogues, never
// `column=value`, a `${variable}`, an internal platform name or a catalogue key.
import {expect} from 'chai'

import type {FactsSnapshot} from '../../src/facts/types.js'
import {catalogue, translator} from '../../src/i18n/messages.js'
import {evaluate} from '../../src/policy/evaluate.js'
import {loadPolicy} from '../../src/policy/load-policy.js'
import type {Policy} from '../../src/policy/types.js'
import {describeEvidence} from '../../src/report/describe-evidence.js'
import {addRows, compliantFacts, patchRows, withTable} from '../helpers/facts-builder.js'

const zh = translator('zh-CN')
const en = translator('en')
const linesOf = (facts: FactsSnapshot, policy: Policy, id: string, tr = zh): string[] => {
  const result = evaluate(facts, policy).find((r) => r.id === id)
  if (!result) throw new Error(`no check ${id}`)
  return describeEvidence(result, tr)
}

describe('evidence in plain words', () => {
  let policy: Policy
  before(async () => {
    policy = (await loadPolicy()).policy
  })

  it('says the firewall is off in a sentence, then names each firewall with labelled values', () => {
    const off = withTable(compliantFacts('linux'), 'firewall', [
      {default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'nftables'},
      {default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'iptables'},
    ])
    const lines = linesOf(off, policy, 'firewall-enabled')
    expect(lines[0]).to.equal('防火墙未开启（没有一个防火墙在拦截外来连接）')
    expect(lines[1]).to.contain('nftables（已开启：否，默认入站：允许）').and.contain('iptables（')
    expect(lines.join('\n')).not.to.match(/enabled=|default_inbound/)
    expect(linesOf(off, policy, 'firewall-enabled', en)[0]).to.equal('The firewall is off (no firewall blocks incoming connections)')
  })

  it('names weak-password reasons as the password checker does, without policy numbers it cannot know', () => {
    const account = {account: 'gcdy', age_days: 10, contact_set: true, custodian: '王五', forced: true, platform: 'douyin', reused: false, rotated_at: null, strength_score: 1, weak_reasons: ['love-code', 'few-classes']}
    const lines = linesOf(withTable(compliantFacts(), 'managed_accounts', [account]), policy, 'account-passwords-strong')
    expect(lines[0]).to.equal('有受管账号使用弱口令')
    expect(lines[1]).to.contain('弱口令原因：爱情数字（520、1314、woaini…）、字符种类太少').and.contain('强制保存：是')
    expect(lines[1]).not.to.match(/weak_reasons|love-code|\{classes\}/)
  })

  it('says why a check could not be judged, or does not apply, in the reader\'s language', () => {
    const denied = withTable(compliantFacts('linux'), 'firewall', {error: 'needs administrator/root: nft list ruleset', kind: 'permission', text: {key: 'factError.needsAdmin', params: {what: 'nft list ruleset'}}})
    expect(linesOf(denied, policy, 'firewall-enabled')).to.deep.equal(['防火墙：需要管理员权限才能检查（nft list ruleset）'])
    const timedOut = withTable(compliantFacts('linux'), 'firewall', {error: 'x', kind: 'timeout'})
    expect(linesOf(timedOut, policy, 'firewall-enabled')[0]).to.match(/^防火墙：读取超时/)
    expect(linesOf(compliantFacts('linux'), policy, 'os-genuine')).to.deep.equal(['仅适用于 Windows'])
    expect(linesOf(compliantFacts('linux'), policy, 'os-genuine', en)).to.deep.equal(['applies to Windows only'])
    expect(linesOf(compliantFacts(), policy, 'vpn-always')).to.deep.equal(['本区策略未要求此项'])
    expect(linesOf(withTable(compliantFacts(), 'wifi', []), policy, 'wifi-encrypted')).to.deep.equal(['无可判断的内容：未发现无线网络（Wi-Fi）连接'])
    const unset = linesOf(addRows(withTable(compliantFacts(), 'wifi', []), 'wifi', {bssid: null, connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'Office'}), policy, 'wifi-approved-network')
    expect(unset).to.deep.equal(['本区策略尚未配置（批准的 Wi-Fi 网络）：请用 nm-guard policy init 设置'])
  })

  it('never shows a raw column=value, a ${variable}, "win32" or a catalogue key, on any check of the default policy', () => {
    const keys = new Set(Object.keys(catalogue('en')))
    const spoilt = [
      compliantFacts('win32'),
      compliantFacts('linux'),
      patchRows(compliantFacts('win32'), 'antivirus', {realtime_enabled: false, signatures_age_days: 40}),
      addRows(compliantFacts('win32'), 'processes', {name: 'ToDesk.exe', path: 'C:\\ToDesk.exe', pid: 7, user: null}),
      addRows(compliantFacts('win32'), 'listening_ports', {address: '0.0.0.0', loopback: false, pid: 4, port: 3389, process: 'svchost.exe', protocol: 'tcp'}),
      withTable(compliantFacts('win32'), 'wifi', [{bssid: 'aa:bb:cc:dd:ee:ff', connected: true, interface: 'WLAN', security: 'open', ssid: 'ChinaNet'}]),
      withTable(compliantFacts('win32'), 'patch_status', {error: 'Windows Update history unavailable', kind: 'failed'}),
    ]
    for (const facts of spoilt) {
      for (const tr of [zh, en]) {
        for (const result of evaluate(facts, policy)) {
          for (const line of describeEvidence(result, tr)) {
            expect(line, result.id).not.to.match(/\b[a-z_]+=\S/)
            expect(line, result.id).not.to.contain('${')
            expect(line, result.id).not.to.match(/\bwin32\b/)
            for (const word of line.split(/[\s（）()：:，,；;]+/)) expect(keys.has(word), `${result.id}: ${line}`).to.equal(false)
          }
        }
      }
    }
  })
})
