// Signs of a VPN on Linux: tunnel interfaces (tun/tap/wg/ppp/utun: 深信服 EasyConnect uses tun0,
// aTrust utun7), running VPN clients (known-products VPN_CLIENTS, from /proc), and NetworkManager's
// active VPN and WireGuard connections.
import {productForProcess, VPN_CLIENTS} from '../known-products.js'
import {interfaceList, type IpLink} from '../linux/ip-links.js'
import {parseTerse, runNmcli} from '../linux/nmcli.js'
import {listProcesses, type ProcessEntry} from '../linux/proc-processes.js'
import type {CollectContext, Row} from '../types.js'

export const NMCLI_ACTIVE_ARGS = ['-f', 'NAME,TYPE,STATE,DEVICE', 'connection', 'show', '--active']

export function tunnelRows(links: IpLink[]): Row[] {
  return links
    .filter((l) => l.isVpn)
    .map((l) => ({
      active: l.up,
      detail: [l.name, l.up ? 'up' : 'down', ...l.addresses, l.driver ? `(${l.driver})` : ''].filter(Boolean).join(' '),
      evidence: 'interface',
      name: l.name,
    }))
}

/** One row per VPN client product with a running process. Running is not connected: active is null. */
export function clientRows(processes: ProcessEntry[]): Row[] {
  const seen = new Map<string, ProcessEntry[]>()
  for (const p of processes) {
    const product = productForProcess(VPN_CLIENTS, p.name) ?? productForProcess(VPN_CLIENTS, p.comm)
    if (product) seen.set(product.name, [...(seen.get(product.name) ?? []), p])
  }
  return [...seen].map(([name, procs]) => ({
    active: null,
    detail: procs.map((p) => `${p.name} (pid ${p.pid}${p.path ? `, ${p.path}` : ''})`).join('; '),
    evidence: 'process',
    name,
  }))
}

/** NMCLI_ACTIVE_ARGS output: keeps connections of type vpn (OpenVPN, L2TP… plugins) and wireguard. */
export function parseNmcliActive(text: string): Row[] {
  return parseTerse(text)
    .filter((f) => f.length >= 3 && (f[1] === 'vpn' || f[1] === 'wireguard'))
    .map(([name, type, state, device]) => ({
      active: state === 'activated',
      detail: `NetworkManager ${type} connection ${state}${device ? ` on ${device}` : ''}`,
      evidence: 'connection',
      name: name ?? '',
    }))
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const [links, processes, nm] = await Promise.all([interfaceList(ctx, root), listProcesses(ctx, root), runNmcli(ctx, NMCLI_ACTIVE_ARGS, root)])
  // No NetworkManager (not installed, not running) just means no NM connections to report.
  const connections = nm?.code === 0 ? parseNmcliActive(nm.stdout) : []
  return [...tunnelRows(links), ...clientRows(processes), ...connections]
}
