// What Windows evidence is taken. Command output is kept as the bytes Windows printed (often the
// OEM code page, e.g. GBK): decoding it here could lose characters. nm-guard's own keychain secrets
// (Credential Manager entries) are never read by any item.
import {installedSoftwareItem, lastAuditReportItem} from './common-items.js'
import {commandItem, type EvidenceItem, powershellItem} from './item.js'

/** Every process with its executable's SHA-256, each distinct path hashed once. */
export const WIN32_PROCESSES_SCRIPT = [
  '$ErrorActionPreference = "SilentlyContinue"',
  "$procs = Get-CimInstance Win32_Process | Select-Object 'ProcessId', 'ParentProcessId', 'Name', 'ExecutablePath', 'CommandLine', 'CreationDate'",
  '$hashes = @{}',
  'foreach ($p in $procs) { if ($p.ExecutablePath -and -not $hashes.ContainsKey($p.ExecutablePath)) { $hashes[$p.ExecutablePath] = (Get-FileHash -Algorithm SHA256 -LiteralPath $p.ExecutablePath).Hash } }',
  '$procs | ForEach-Object { [pscustomobject]@{pid=$_.ProcessId; ppid=$_.ParentProcessId; name=$_.Name; exe=$_.ExecutablePath; cmdline=$_.CommandLine; started=$_.CreationDate; sha256=$(if ($_.ExecutablePath) { $hashes[$_.ExecutablePath] } else { $null })} }',
].join('; ')

// The runner (src/os/powershell.ts) returns each script's output as JSON: the scripts only select.
export const WIN32_TCP_SCRIPT =
  "Get-NetTCPConnection | Select-Object 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'OwningProcess', 'CreationTime'"
export const WIN32_UDP_SCRIPT = "Get-NetUDPEndpoint | Select-Object 'LocalAddress', 'LocalPort', 'OwningProcess', 'CreationTime'"

export const WIN32_ITEMS: readonly EvidenceItem[] = [
  commandItem('network.connections', 'netstat', ['-ano'], 'network/netstat-ano.txt'),
  powershellItem('network.tcp', WIN32_TCP_SCRIPT, 'network/tcp-connections.json'),
  powershellItem('network.udp', WIN32_UDP_SCRIPT, 'network/udp-endpoints.json'),
  // Hashing every executable takes a while on a busy PC; the other items run meanwhile.
  powershellItem('processes.executables', WIN32_PROCESSES_SCRIPT, 'processes/processes.json', {timeoutMs: 20_000}),
  commandItem('processes.tasklist', 'tasklist', ['/v', '/fo', 'csv'], 'processes/tasklist.csv'),
  commandItem('users.sessions', 'query', ['user'], 'users/query-user.txt'),
  commandItem('network.routes', 'route', ['print'], 'network/routes.txt'),
  commandItem('network.neighbours', 'arp', ['-a'], 'network/arp.txt'),
  commandItem('dns.ipconfig', 'ipconfig', ['/all'], 'dns/ipconfig-all.txt'),
  commandItem('dns.cache', 'ipconfig', ['/displaydns'], 'dns/ipconfig-displaydns.txt'),
  commandItem('firewall.profiles', 'netsh', ['advfirewall', 'show', 'allprofiles'], 'firewall/profiles.txt'),
  commandItem('firewall.rules', 'netsh', ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'verbose'], 'firewall/rules.txt'),
  commandItem('logs.security', 'wevtutil', ['qe', 'Security', '/c:500', '/rd:true', '/f:text'], 'logs/security.txt', {timeoutMs: 10_000}),
  commandItem('logs.system', 'wevtutil', ['qe', 'System', '/c:500', '/rd:true', '/f:text'], 'logs/system.txt', {timeoutMs: 10_000}),
  installedSoftwareItem,
  lastAuditReportItem,
]
