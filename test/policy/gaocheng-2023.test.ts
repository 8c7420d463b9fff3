// The default policy on facts fixtures: every check seen passing on a compliant PC and failing on
// a PC spoilt in the way that check exists to catch.
import {expect} from 'chai'

import type {FactsSnapshot} from '../../src/facts/types.js'
import {evaluate} from '../../src/policy/evaluate.js'
import {loadPolicy} from '../../src/policy/load-policy.js'
import type {LoadedPolicy} from '../../src/policy/types.js'
import {addRows, compliantFacts, patchRows, withTable} from '../helpers/facts-builder.js'

const sw = (name: string, publisher: null | string = null) => ({install_date: null, location: null, name, publisher, source: 'registry', user: null, version: '1.0'})
const proc = (name: string) => ({name, path: null, pid: 777, user: null})
const account = (name: string) => ({account: name, age_days: 10, contact_set: true, custodian: '王五', forced: false, platform: 'douyin', reused: false, rotated_at: '2026-11-17T08:00:00.000Z', strength_score: 4, weak_reasons: []})
const infoChange = (days: number) => ({info_change_report_due: '2026-11-24', info_change_working_days: days, info_changed_at: '2026-11-17T08:00:00.000Z'})
const secretFile = (path: string, reason: string, keyword: null | string) => ({folder: 'desktop', keyword, modified_at: '2026-11-20T02:00:00.000Z', name: path.split('\\').pop() ?? path, path, reason, size: 120, user: 'xmt'})
const office = (patch: Record<string, boolean | string>) => ({channel: 'VOLUME_KMSCLIENT', genuine: true, grace_period_ends: null, kms_host: null, kms_host_source: null, license_status: 'licensed', product: 'Office 19, Office19ProPlus2019VL_KMS_Client_AE edition', release: '19', source: 'spp', ...patch})
const wifi = (ssid: string, security = 'wpa2') => ({bssid: '66:77:88:99:aa:bb', connected: true, interface: 'WLAN', security, ssid})

// Each check id → ways to break it. Every check of the default policy must be listed.
const SPOILERS: Record<string, Array<[string, (f: FactsSnapshot) => FactsSnapshot]>> = {
  'account-custodian-named': [
    ['no contact recorded', (f) => withTable(f, 'managed_accounts', [{...account('gcfb'), contact_set: false}])],
    ['blank custodian', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), custodian: '  '})],
  ],
  'account-info-change-reported': [
    ['custodian changed today, not yet reported', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), ...infoChange(0)})],
    ['contact changed 5 working days ago (the deadline), not yet reported', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), ...infoChange(5)})],
  ],
  'account-passwords-changed': [['password set 91 days ago', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), age_days: 91})]],
  'account-passwords-strong': [
    ['score below the minimum', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), strength_score: 2})],
    ['stored with --force despite weak reasons', (f) => addRows(f, 'managed_accounts', {...account('gcdy'), forced: true, strength_score: 3, weak_reasons: ['place-year']})],
  ],
  'account-passwords-unique': [['two accounts share a password', (f) => patchRows(f, 'managed_accounts', {reused: true})]],
  'antivirus-active': [
    ['no antivirus', (f) => withTable(f, 'antivirus', [])],
    ['antivirus not running', (f) => patchRows(f, 'antivirus', {running: false})],
    ['real-time protection off', (f) => patchRows(f, 'antivirus', {realtime_enabled: false})],
    ['signatures 20 days old', (f) => patchRows(f, 'antivirus', {signatures_age_days: 20})],
  ],
  'firewall-enabled': [['every firewall off', (f) => patchRows(f, 'firewall', {enabled: false})]],
  'managed-accounts-registered': [['no account registered', (f) => withTable(f, 'managed_accounts', [])]],
  'no-activator-software': [
    ['KMSpico installed', (f) => addRows(f, 'installed_software', sw('KMSpico 10.2.0'))],
    ['KMSAuto running', (f) => addRows(f, 'processes', proc('KMSAuto Net.exe'))],
  ],
  'no-entertainment-software': [
    ['iQIYI installed', (f) => addRows(f, 'installed_software', sw('爱奇艺'))],
    ['QQ Music running', (f) => addRows(f, 'processes', proc('QQMusic.exe'))],
  ],
  'no-games': [
    ['Steam installed', (f) => addRows(f, 'installed_software', sw('Steam'))],
    ['WeGame running', (f) => addRows(f, 'processes', proc('wegame.exe'))],
  ],
  'no-kms-activator-traces': [
    ['public KMS host', (f) => withTable(f, 'activation_traces', [{detail: 'kms.03k.org', kind: 'kms_host', location: 'HKLM\\...\\SoftwareProtectionPlatform'}])],
    ['KMSpico folder', (f) => withTable(f, 'activation_traces', [{detail: 'folder exists', kind: 'file', location: 'C:\\Program Files\\KMSpico'}])],
  ],
  'no-mobile-hotspot': [
    ['cellular modem up', (f) => addRows(f, 'network_interfaces', {addresses: ['10.1.2.3/32'], default_route: false, description: 'Huawei Mobile Broadband', gateway: null, is_vpn: false, kind: 'cellular', mac: null, name: '手机网络', up: true})],
    ['on a phone hotspot', (f) => withTable(f, 'wifi', [wifi('张三的iPhone')])],
  ],
  'no-p2p-download-tools': [
    ['Thunder installed', (f) => addRows(f, 'installed_software', sw('迅雷'))],
    ['qBittorrent running', (f) => addRows(f, 'processes', proc('qbittorrent.exe'))],
  ],
  'no-password-files': [
    ['密码.txt on the desktop', (f) => withTable(f, 'plaintext_secrets', [secretFile('C:\\Users\\xmt\\Desktop\\密码.txt', 'file-name', '密码')])],
    ['a managed password in an ordinary document', (f) => withTable(f, 'plaintext_secrets', [secretFile('C:\\Users\\xmt\\Documents\\工作交接.docx', 'content-match', null)])],
  ],
  'no-pending-security-updates': [['3 security updates pending', (f) => patchRows(f, 'patch_status', {pending_security_count: 3})]],
  'no-remote-access-listeners': [['RDP open to the network', (f) => addRows(f, 'listening_ports', {address: '0.0.0.0', loopback: false, pid: 1200, port: 3389, process: 'svchost.exe', protocol: 'tcp'})]],
  'no-remote-control-tools': [
    ['Sunlogin installed', (f) => addRows(f, 'installed_software', sw('向日葵远程控制', '上海贝锐信息科技股份有限公司'))],
    ['ToDesk running portable', (f) => addRows(f, 'processes', proc('ToDesk.exe'))],
    ['Oray publisher only', (f) => addRows(f, 'installed_software', sw('AweRemote', 'Oray Inc.'))],
  ],
  'no-tunnel-tools': [
    ['frpc running', (f) => addRows(f, 'processes', proc('frpc.exe'))],
    ['ZeroTier installed', (f) => addRows(f, 'installed_software', sw('ZeroTier One'))],
  ],
  'office-genuine': [
    ['Office not activated', (f) => withTable(f, 'office_activation', [office({genuine: false, license_status: 'notification'})])],
    ['Office on a public KMS host', (f) => withTable(f, 'office_activation', [office({kms_host: 'kms.03k.org', kms_host_source: 'registry-32'})])],
  ],
  'os-genuine': [['not activated', (f) => patchRows(f, 'os_version', {genuine: false, license_status: 'notification'})]],
  'patched-recently': [['last patch 75 days ago', (f) => patchRows(f, 'patch_status', {days_since_patch: 75})]],
  'screen-lock': [
    ['no screen lock', (f) => patchRows(f, 'screen_lock', {enabled: false})],
    ['locks after an hour', (f) => patchRows(f, 'screen_lock', {timeout_seconds: 3600})],
  ],
  'vpn-outside-approved-networks': [['home network, no VPN', (f) => patchRows(f, 'network_interfaces', {addresses: ['192.168.1.20/24'], gateway: '192.168.1.1'})]],
  'wifi-approved-network': [['unknown SSID', (f) => withTable(f, 'wifi', [wifi('ChinaNet-Free')])]],
  'wifi-encrypted': [['open Wi-Fi', (f) => withTable(f, 'wifi', [wifi('GC-ZWGK-5F', 'open')])]],
  'windows-firewall-all-profiles': [['Public profile off', (f) => withTable(f, 'firewall', [{default_inbound: 'block', default_outbound: 'allow', enabled: true, name: 'Domain'}, {default_inbound: 'block', default_outbound: 'allow', enabled: false, name: 'Public'}])]],
}

// Checks off by default: they are turned on through their variable, then spoilt.
const OPT_IN: Record<string, {variable: string; spoil: (f: FactsSnapshot) => FactsSnapshot}> = {
  'no-cloud-drives': {spoil: (f) => addRows(f, 'installed_software', sw('百度网盘')), variable: 'forbid_cloud_drives'},
  'software-allowlist': {spoil: (f) => addRows(f, 'installed_software', sw('Some Random Tool')), variable: 'software_allowlist_mode'},
  'vpn-always': {spoil: (f) => f, variable: 'vpn_required_always'},
}

// The default policy leaves the approved networks unset; a district's own values (the sample's here) configure it.
const SAMPLE_NETWORKS = {approved_ssids: ['GC-ZWGK-5F', 'GC-ZWGK-3F'], approved_subnets: ['10.13.0.0/16']}

describe('default policy gaocheng-2023 on facts fixtures', () => {
  let loaded: LoadedPolicy
  let unconfigured: LoadedPolicy['policy']
  const statusOf = (facts: FactsSnapshot, id: string, policy = loaded.policy) => evaluate(facts, policy).find((r) => r.id === id)?.status

  before(async () => {
    loaded = await loadPolicy()
    unconfigured = loaded.policy
    loaded = {...loaded, policy: {...loaded.policy, variables: {...loaded.policy.variables, ...SAMPLE_NETWORKS}}}
  })

  it('reports the network checks as "policy not configured" (error, never fail) until the district sets its networks', () => {
    const away = withTable(patchRows(compliantFacts(), 'network_interfaces', {addresses: ['192.168.1.20/24']}), 'wifi', [wifi('ChinaNet-Free')])
    const results = evaluate(away, unconfigured)
    for (const id of ['wifi-approved-network', 'vpn-outside-approved-networks']) {
      const result = results.find((r) => r.id === id)
      expect(result?.status, id).to.equal('error')
      expect(result?.evidence.rules.map((r) => r.reason?.key)).to.include('reason.notConfigured')
    }
    expect(unconfigured.variables?.approved_ssids).to.equal(null)
    expect(unconfigured.variables?.approved_subnets).to.equal(null)
    // A VPN that is up answers the VPN check without the unit's subnets.
    const withVpn = addRows(away, 'vpn', {active: true, detail: 'tun0', evidence: 'interface', name: 'EasyConnect'})
    expect(statusOf(withVpn, 'vpn-outside-approved-networks', unconfigured)).to.equal('pass')
  })

  it('never passes a check that looked at nothing: no Wi-Fi, no Office, no software list is "nothing to judge"', () => {
    const bare = withTable(withTable(withTable(compliantFacts(), 'wifi', []), 'office_activation', []), 'installed_software', [])
    const nothing = withTable(bare, 'processes', [])
    for (const id of ['wifi-approved-network', 'wifi-encrypted', 'office-genuine', 'no-games']) expect(statusOf(nothing, id), id).to.equal('not_applicable')
    // Files, traces and open ports: none found is an answer.
    for (const [table, id] of [['plaintext_secrets', 'no-password-files'], ['listening_ports', 'no-remote-access-listeners']] as const) {
      expect(statusOf(withTable(compliantFacts(), table, []), id), id).to.equal('pass')
    }
    expect(statusOf(withTable(compliantFacts(), 'activation_traces', []), 'no-kms-activator-traces')).to.equal('pass')
  })

  it('lists a spoiler for every check it ships', () => {
    const ids = loaded.policy.checks.map((c) => c.id).sort()
    expect(ids).to.deep.equal([...Object.keys(SPOILERS), ...Object.keys(OPT_IN)].sort())
  })

  it('passes every enabled check on a compliant Windows PC', () => {
    const results = evaluate(compliantFacts('win32'), loaded.policy)
    const notPassing = results.filter((r) => r.status !== 'pass' && !(r.id in OPT_IN) && r.id !== 'no-pending-security-updates')
    expect(notPassing.map((r) => `${r.id}: ${r.status} ${JSON.stringify(r.evidence)}`)).to.deep.equal([])
    for (const id of Object.keys(OPT_IN)) expect(statusOf(compliantFacts(), id), id).to.equal('not_applicable')
  })

  for (const [id, spoilers] of Object.entries(SPOILERS)) {
    for (const [how, spoil] of spoilers) {
      it(`${id} fails when ${how}`, () => {
        const platform = loaded.policy.checks.find((c) => c.id === id)?.platforms?.[0] ?? 'win32'
        expect(statusOf(compliantFacts(platform), id), 'compliant').to.equal('pass')
        expect(statusOf(spoil(compliantFacts(platform)), id)).to.equal('fail')
      })
    }
  }

  for (const [id, {variable, spoil}] of Object.entries(OPT_IN)) {
    it(`${id} is judged once ${variable} is turned on`, () => {
      const policy = structuredClone(loaded.policy)
      policy.variables = {...policy.variables, [variable]: true}
      if (id === 'vpn-always') {
        expect(statusOf(compliantFacts(), id, policy)).to.equal('fail')
        const withVpn = addRows(compliantFacts(), 'vpn', {active: true, detail: 'tun0', evidence: 'process', name: 'EasyConnect'})
        expect(statusOf(withVpn, id, policy)).to.equal('pass')
        return
      }
      expect(statusOf(compliantFacts(), id, policy)).to.equal('pass')
      expect(statusOf(spoil(compliantFacts()), id, policy)).to.equal('fail')
    })
  }

  it('never flags the Douyin and Kuaishou clients, installed or running', () => {
    const facts = addRows(addRows(compliantFacts(), 'processes', proc('douyin_launcher.exe'), proc('Kuaishou.exe')), 'installed_software', sw('快手直播伴侣'), sw('抖音直播伴侣'))
    const failing = evaluate(facts, loaded.policy).filter((r) => r.status === 'fail')
    expect(failing.map((r) => r.id)).to.deep.equal([])
  })

  it('does not take Thunderbird (mail) for Thunder (迅雷), nor Microsoft Edge for the n2n edge', () => {
    const facts = addRows(addRows(compliantFacts(), 'processes', proc('thunderbird.exe'), proc('msedge.exe')), 'installed_software', sw('Mozilla Thunderbird'), sw('Microsoft Edge'))
    expect(statusOf(facts, 'no-p2p-download-tools')).to.equal('pass')
    expect(statusOf(facts, 'no-tunnel-tools')).to.equal('pass')
  })

  it('accepts a VPN outside the approved networks', () => {
    const away = patchRows(compliantFacts(), 'network_interfaces', {addresses: ['192.168.1.20/24']})
    const withVpn = addRows(away, 'vpn', {active: true, detail: 'tun0 up 10.8.0.2/24', evidence: 'interface', name: 'tun0'})
    expect(statusOf(withVpn, 'vpn-outside-approved-networks')).to.equal('pass')
    const tailscale = addRows(away, 'vpn', {active: true, detail: 'tailscale0', evidence: 'interface', name: 'tailscale0'})
    expect(statusOf(tailscale, 'vpn-outside-approved-networks')).to.equal('fail')
    const zerotier = addRows(away, 'vpn', {active: true, detail: 'ztc3q5bxyz up (tun)', evidence: 'interface', name: 'ztc3q5bxyz'})
    expect(statusOf(zerotier, 'vpn-outside-approved-networks')).to.equal('fail')
  })

  it('accepts the district’s own KMS host', () => {
    const policy = structuredClone(loaded.policy)
    policy.variables = {...policy.variables, approved_kms_hosts: ['kms.gc.gov.cn']}
    const facts = withTable(compliantFacts(), 'activation_traces', [{detail: 'kms.gc.gov.cn', kind: 'kms_host', location: 'HKLM'}])
    expect(statusOf(facts, 'no-kms-activator-traces', policy)).to.equal('pass')
    expect(statusOf(facts, 'no-kms-activator-traces')).to.equal('fail')
  })

  it('accepts Office activated by the district’s KMS host, a retail Office, or no Office at all', () => {
    const policy = structuredClone(loaded.policy)
    policy.variables = {...policy.variables, approved_kms_hosts: ['kms.gc.gov.cn']}
    const district = withTable(compliantFacts(), 'office_activation', [office({kms_host: 'kms.gc.gov.cn', kms_host_source: 'licence'})])
    expect(statusOf(district, 'office-genuine', policy)).to.equal('pass')
    expect(statusOf(district, 'office-genuine')).to.equal('fail')
    expect(statusOf(withTable(compliantFacts(), 'office_activation', [office({channel: 'RETAIL'})]), 'office-genuine')).to.equal('pass')
    expect(statusOf(withTable(compliantFacts(), 'office_activation', []), 'office-genuine')).to.equal('not_applicable')
    expect(statusOf(withTable(compliantFacts(), 'office_activation', {error: 'SoftwareLicensingProduct: Invalid class'}), 'office-genuine')).to.equal('error')
  })

  it('judges the account checks at their limits, on no accounts, and on an unreadable store', () => {
    const ids = ['account-passwords-strong', 'account-passwords-changed', 'account-passwords-unique', 'account-custodian-named']
    const atLimits = withTable(compliantFacts(), 'managed_accounts', [{...account('gcdy'), age_days: 90, strength_score: 3}])
    for (const id of ids) expect(statusOf(atLimits, id), id).to.equal('pass')
    // No account registered: nothing to judge — and managed-accounts-registered fails, saying how to register.
    const none = withTable(compliantFacts(), 'managed_accounts', [])
    for (const id of ids) expect(statusOf(none, id), id).to.equal('not_applicable')
    const registered = evaluate(none, loaded.policy).find((r) => r.id === 'managed-accounts-registered')
    expect(registered?.status).to.equal('fail')
    expect(registered?.remediation.zh).to.contain('nm-guard account add')
    const broken = withTable(compliantFacts(), 'managed_accounts', {error: 'account store: account.storeUnreadable'})
    for (const id of ids) expect(statusOf(broken, id), id).to.equal('error')
  })

  it('reminds of an unreported custodian/contact change for 5 working days only, and not once it is reported', () => {
    const id = 'account-info-change-reported'
    const withChange = (patch: Record<string, unknown>) => withTable(compliantFacts(), 'managed_accounts', [{...account('gcdy'), ...patch}])
    expect(statusOf(withChange(infoChange(5)), id)).to.equal('fail')
    expect(statusOf(withChange(infoChange(6)), id)).to.equal('pass')
    expect(statusOf(withChange({info_change_report_due: null, info_change_working_days: null, info_changed_at: null}), id)).to.equal('pass')
    const result = evaluate(withChange(infoChange(2)), loaded.policy).find((r) => r.id === id)
    expect(result?.clause.id).to.equal('二(七)')
    expect(result?.remediation.zh).to.contain('全国政务新媒体信息报送系统').and.to.contain('--reported')
    expect(result?.evidence.rules[0]?.matched).to.deep.equal([{account: 'gcdy', custodian: '王五', info_change_report_due: '2026-11-24', info_changed_at: '2026-11-17T08:00:00.000Z', platform: 'douyin'}])
  })

  it('excuses official documents about passwords by name, never a file holding a managed password', () => {
    const notice = 'C:\\Users\\xmt\\Documents\\关于加强政务新媒体账号密码管理的通知.docx'
    expect(statusOf(withTable(compliantFacts(), 'plaintext_secrets', [secretFile(notice, 'file-name', '账号')]), 'no-password-files')).to.equal('pass')
    expect(statusOf(withTable(compliantFacts(), 'plaintext_secrets', [secretFile(notice, 'content-match', '账号')]), 'no-password-files')).to.equal('fail')
    const incomplete = withTable(compliantFacts(), 'plaintext_secrets', {error: 'no password file found in 3 folder(s), 812 entries, but the check is incomplete: the deadline passed'})
    expect(statusOf(incomplete, 'no-password-files')).to.equal('error')
  })

  it('reports error, not pass, when the fact is unavailable or unknown', () => {
    const noPatch = withTable(compliantFacts(), 'patch_status', {error: 'needs administrator/root: apt'})
    expect(statusOf(noPatch, 'patched-recently')).to.equal('error')
    const unknown = patchRows(compliantFacts('linux'), 'patch_status', {pending_security_count: null})
    expect(statusOf(unknown, 'no-pending-security-updates')).to.equal('error')
  })

  it('leaves pending updates to the recency check on Windows, which keeps no offline count', () => {
    expect(statusOf(compliantFacts('win32'), 'no-pending-security-updates')).to.equal('not_applicable')
  })

  it('takes Windows-only checks as not applicable on Linux', () => {
    const results = evaluate(compliantFacts('linux'), loaded.policy)
    for (const id of ['os-genuine', 'no-kms-activator-traces', 'windows-firewall-all-profiles']) {
      expect(results.find((r) => r.id === id)?.status, id).to.equal('not_applicable')
    }
  })
})
