// What macOS evidence is taken. nm-guard's own keychain secrets are never read: no item calls
// `security` or touches the login keychain.
import {join} from 'node:path'

import {TOOLS} from '../../os/tools.darwin.js'
import {installedSoftwareItem, lastAuditReportItem} from './common-items.js'
import {commandItem, type EvidenceItem, fileItem} from './item.js'
import {darwinProcessesItem} from './processes.darwin.js'

/** `log show` of an hour can be hundreds of MB; the auth-related slice is kept in full separately. */
const LOG_MAX_BUFFER = 256 * 1024 * 1024
export const DARWIN_AUTH_PREDICATE =
  'process == "sshd" OR process == "loginwindow" OR process == "sudo" OR process == "screensharingd" OR subsystem == "com.apple.opendirectoryd" OR subsystem == "com.apple.Authorization"'

/** The items, with the file system root movable so a recorded tree can stand in for it. */
export const darwinItems = ({root = '/'}: {root?: string} = {}): EvidenceItem[] => [
  commandItem('network.connections', TOOLS.netstat, ['-anv'], 'network/netstat-anv.txt'),
  commandItem('network.sockets', TOOLS.lsof, ['-nP', '-i'], 'network/lsof-i.txt'),
  darwinProcessesItem,
  commandItem('users.who', TOOLS.who, ['-a'], 'users/who.txt'),
  commandItem('users.last', TOOLS.last, ['-200'], 'users/last.txt'),
  commandItem('network.routes', TOOLS.netstat, ['-rn'], 'network/routes.txt'),
  commandItem('network.neighbours', TOOLS.arp, ['-an'], 'network/arp.txt'),
  commandItem('network.addresses', TOOLS.ifconfig, ['-a'], 'network/ifconfig.txt'),
  commandItem('dns.scutil', TOOLS.scutil, ['--dns'], 'dns/scutil-dns.txt'),
  fileItem('dns.hosts', join(root, 'etc/hosts'), 'dns/hosts'),
  commandItem('firewall.pf', TOOLS.pfctl, ['-sr', '-a', '*'], 'firewall/pf-rules.txt'),
  commandItem('firewall.application', TOOLS.socketfilterfw, ['--getglobalstate'], 'firewall/application-firewall.txt'),
  commandItem('logs.auth', TOOLS.log, ['show', '--last', '1h', '--style', 'syslog', '--predicate', DARWIN_AUTH_PREDICATE], 'logs/auth.txt', {timeoutMs: 15_000}),
  commandItem('logs.system', TOOLS.log, ['show', '--last', '1h', '--style', 'syslog'], 'logs/system.txt', {maxBuffer: LOG_MAX_BUFFER, timeoutMs: 15_000}),
  installedSoftwareItem,
  lastAuditReportItem,
]

export const DARWIN_ITEMS: readonly EvidenceItem[] = darwinItems()
