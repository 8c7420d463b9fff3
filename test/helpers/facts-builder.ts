// Facts snapshots for evaluator tests: a compliant PC, which each test then spoils in one way.
import type {FactsSnapshot, Platform, Row, TableResult} from '../../src/facts/types.js'

export function compliantFacts(platform: Platform = 'win32'): FactsSnapshot {
  const rows = (list: Row[]): TableResult => ({rows: list})
  return {
    collected_at: '2026-11-27T08:00:00.000Z',
    host: {arch: 'x64', hostname: 'gc-xmt-01', os_name: 'Microsoft Windows 11 专业版', os_version: '10.0.22631', platform},
    schema: 'nm-guard/facts@1',
    tables: {
      activation_traces: rows([]),
      antivirus: rows([{name: '火绒安全软件', realtime_enabled: true, running: true, signatures_age_days: 1, signatures_updated_at: '2026-11-26T02:00:00Z', source: 'securitycenter2', up_to_date: true}]),
      firewall: rows(['Domain', 'Private', 'Public'].map((name) => ({default_inbound: 'block', default_outbound: 'allow', enabled: true, name}))),
      installed_software: rows([
        {install_date: '2026-01-10', location: null, name: '微信', publisher: '腾讯科技(深圳)有限公司', source: 'registry', user: null, version: '3.9.12'},
        {install_date: '2026-02-01', location: null, name: '抖音', publisher: '北京抖音信息服务有限公司', source: 'registry', user: null, version: '5.2.0'},
        {install_date: '2026-02-01', location: null, name: '快手', publisher: '北京快手科技有限公司', source: 'registry', user: null, version: '4.1.0'},
        {install_date: '2026-01-10', location: null, name: 'WPS Office', publisher: 'Kingsoft Corp.', source: 'registry', user: null, version: '12.1'},
      ]),
      listening_ports: rows([
        {address: '0.0.0.0', loopback: false, pid: 1000, port: 135, process: 'svchost.exe', protocol: 'tcp'},
        {address: '127.0.0.1', loopback: true, pid: 2000, port: 5900, process: 'local.exe', protocol: 'tcp'},
      ]),
      managed_accounts: rows([
        {account: 'gcfb', age_days: 20, contact_set: true, custodian: '张三', forced: false, platform: 'wechat', reused: false, rotated_at: '2026-11-07T08:00:00.000Z', strength_score: 4, weak_reasons: []},
        {account: '藁城发布', age_days: 45, contact_set: true, custodian: '李四', forced: false, platform: 'weibo', reused: false, rotated_at: '2026-10-13T08:00:00.000Z', strength_score: 3, weak_reasons: []},
      ]),
      office_activation: rows([
        {channel: 'RETAIL', genuine: true, grace_period_ends: null, kms_host: null, kms_host_source: null, license_status: 'licensed', product: 'Office 16, Office16ProPlusR_Retail edition', release: '16', source: 'spp'},
      ]),
      network_interfaces: rows([
        {addresses: ['10.13.5.20/24'], default_route: true, description: 'Intel(R) Wi-Fi 6 AX201', gateway: '10.13.5.1', is_vpn: false, kind: 'wifi', mac: 'aa:bb:cc:dd:ee:ff', name: 'WLAN', up: true},
      ]),
      os_version: rows([{activation_channel: 'Retail', arch: 'x64', build: '22631', family: 'windows', genuine: true, kms_host: null, license_status: 'licensed', name: 'Microsoft Windows 11 专业版', platform, version: '10.0.22631'}]),
      plaintext_secrets: rows([]),
      patch_status: rows([{days_since_patch: 5, last_patch_at: '2026-11-22T03:00:00Z', pending_count: 0, pending_security_count: 0, source: 'windows-update'}]),
      processes: rows([
        {name: 'Douyin.exe', path: 'C:\\Program Files\\Douyin\\Douyin.exe', pid: 4100, user: null},
        {name: 'KuaishouLive.exe', path: null, pid: 4200, user: null},
        {name: 'HipsTray.exe', path: null, pid: 4300, user: null},
      ]),
      screen_lock: rows([{enabled: true, source: 'policy', timeout_seconds: 300, user: null}]),
      vpn: rows([]),
      wifi: rows([{bssid: '00:11:22:33:44:55', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'GC-ZWGK-5F'}]),
    },
  }
}

/** A copy of `facts` with one table replaced. */
export function withTable(facts: FactsSnapshot, name: string, table: Row[] | (TableResult & {error: string})): FactsSnapshot {
  const copy = structuredClone(facts)
  copy.tables[name] = Array.isArray(table) ? {rows: table} : table
  return copy
}

/** A copy of `facts` with `patch` merged into every row of one table. */
export function patchRows(facts: FactsSnapshot, name: string, patch: Row): FactsSnapshot {
  const table = facts.tables[name]
  if (!table || 'error' in table) throw new Error(`no rows in ${name}`)
  return withTable(facts, name, table.rows.map((row) => ({...row, ...patch})))
}

/** A copy of `facts` with rows appended to one table. */
export function addRows(facts: FactsSnapshot, name: string, ...extra: Row[]): FactsSnapshot {
  const table = facts.tables[name]
  if (!table || 'error' in table) throw new Error(`no rows in ${name}`)
  return withTable(facts, name, [...table.rows, ...extra])
}
