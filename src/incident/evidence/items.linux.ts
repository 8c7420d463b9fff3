// What Linux evidence is taken, and where each piece lands in the folder. Volatile state first
// (connections, processes, users), then configuration and logs. nm-guard's own keychain secrets are
// never read: no item touches the Secret Service, the conf store's secrets or the installation key.
import {join} from 'node:path'

import {installedSoftwareItem, lastAuditReportItem} from './common-items.js'
import {commandItem, type EvidenceItem, fileItem} from './item.js'
import {scanLinuxProcesses} from './processes.linux.js'

/** auth.log / secure can be large; the last 1 MiB holds well over a day on a desktop. */
const LOG_TAIL_BYTES = 1024 * 1024

export const processesItem = (procRoot = '/proc'): EvidenceItem => ({
  name: 'processes.executables',
  // Hashing stops itself at 80% of this and writes what it has; a desktop needs about 1 s.
  timeoutMs: 10_000,
  async run(ctx) {
    // Leave a fifth of the budget to write what was found before the item's timeout.
    const scan = await scanLinuxProcesses({deadline: Date.now() + ctx.timeoutMs * 0.8, procRoot})
    await ctx.write('processes/processes.json', `${JSON.stringify(scan, null, 2)}\n`)
  },
})

/** The items, with the file system root and /proc movable so recorded trees can stand in for them. */
export const linuxItems = ({procRoot = '/proc', root = '/'}: {procRoot?: string; root?: string} = {}): EvidenceItem[] => [
  commandItem('network.connections', 'ss', ['-tunapeo'], 'network/connections.txt'),
  commandItem('network.listening', 'ss', ['-tulnpe'], 'network/listening.txt'),
  processesItem(procRoot),
  commandItem('processes.ps', 'ps', ['-eo', 'pid,ppid,user,lstart,stat,args', '--sort', 'pid'], 'processes/ps.txt'),
  commandItem('users.who', 'who', ['-a'], 'users/who.txt'),
  commandItem('users.sessions', 'loginctl', ['list-sessions', '--no-pager'], 'users/sessions.txt'),
  commandItem('users.last', 'last', ['-F', '-n', '200'], 'users/last.txt'),
  commandItem('network.routes', 'ip', ['route', 'show', 'table', 'all'], 'network/routes.txt'),
  commandItem('network.routes6', 'ip', ['-6', 'route', 'show', 'table', 'all'], 'network/routes6.txt'),
  commandItem('network.neighbours', 'ip', ['neigh', 'show'], 'network/neighbours.txt'),
  commandItem('network.addresses', 'ip', ['addr', 'show'], 'network/addresses.txt'),
  fileItem('dns.resolv_conf', join(root, 'etc/resolv.conf'), 'dns/resolv.conf'),
  fileItem('dns.hosts', join(root, 'etc/hosts'), 'dns/hosts'),
  commandItem('dns.resolvectl', 'resolvectl', ['status', '--no-pager'], 'dns/resolvectl.txt'),
  commandItem('firewall.nft', 'nft', ['list', 'ruleset'], 'firewall/nft-ruleset.txt'),
  commandItem('firewall.iptables', 'iptables-save', [], 'firewall/iptables-save.txt'),
  commandItem('firewall.ip6tables', 'ip6tables-save', [], 'firewall/ip6tables-save.txt'),
  commandItem('logs.journal', 'journalctl', ['--since', '-24h', '-n', '2000', '-o', 'short-iso', '--no-pager'], 'logs/journal.txt'),
  fileItem('logs.auth', join(root, 'var/log/auth.log'), 'logs/auth.log.tail', {tailBytes: LOG_TAIL_BYTES}),
  fileItem('logs.secure', join(root, 'var/log/secure'), 'logs/secure.tail', {tailBytes: LOG_TAIL_BYTES}),
  installedSoftwareItem,
  lastAuditReportItem,
]

export const LINUX_ITEMS: readonly EvidenceItem[] = linuxItems()
