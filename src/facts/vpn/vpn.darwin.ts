// macOS: configured VPN services from `scutil --nc list` (built-in L2TP/IKEv2/Cisco IPSec and
// Network Extension VPNs such as WireGuard, Tailscale, EasyConnect), tunnel interfaces that carry
// traffic (utun/ppp/ipsec with an IPv4 address or the default route: idle utun0–3 with only
// fe80:: belong to iCloud and AirDrop), and running VPN client processes.
import {listProcesses, type DarwinProcess} from '../darwin/processes.js'
import {type DefaultRoute, defaultRoute, isActiveVpnTunnel, isUp, parseIfconfig} from '../darwin/network.js'
import {DARWIN_VPN_CLIENTS} from '../darwin/security-products.js'
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {productForProcess, VPN_CLIENTS} from '../known-products.js'
import type {CollectContext, Row} from '../types.js'

export interface NcService {
  enabled: boolean
  state: string
  id: string
  type: string
  name: string
}

/**
 * `scutil --nc list` lines:
 * `* (Connected)      UUID PPP --> L2TP       "公司VPN"        [PPP:L2TP]`
 * `* (Disconnected)   UUID VPN (io.tailscale.ipn.macsys) "Tailscale"  [VPN:io.tailscale.ipn.macsys]`
 */
export function parseNcList(text: string): NcService[] {
  const services: NcService[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*(\*)?\s*\(([^)]+)\)\s+(\S+)\s+(.*?)\s*"(.*)"\s*(?:\[[^\]]*\])?\s*$/.exec(line)
    if (!m) continue
    services.push({enabled: m[1] === '*', id: m[3] as string, name: m[5] as string, state: (m[2] as string).trim(), type: (m[4] as string).trim()})
  }
  return services
}

export function connectionRows(services: NcService[]): Row[] {
  return services.map((s) => ({
    active: s.state === 'Connected',
    detail: `${s.type} ${s.state}${s.enabled ? '' : ' (disabled)'}`,
    evidence: 'connection',
    name: s.name,
  }))
}

export function interfaceRows(ifconfig: string, route: DefaultRoute | null): Row[] {
  return parseIfconfig(ifconfig)
    .filter((iface) => isActiveVpnTunnel(iface, route))
    .map((iface) => {
      const up = isUp(iface)
      const parts = [iface.name, up ? 'up' : 'down', ...iface.ipv4]
      if (route?.interface === iface.name) parts.push('default route')
      return {active: up, detail: parts.join(' '), evidence: 'interface', name: iface.name}
    })
}

/** One row per client product; a running client does not say whether it is connected. */
export function processRows(processes: DarwinProcess[]): Row[] {
  const rows = new Map<string, Row>()
  for (const p of processes) {
    const product = productForProcess(VPN_CLIENTS, p.name) ?? productForProcess(DARWIN_VPN_CLIENTS, p.name)
    if (!product) continue
    const seen = rows.get(product.name)
    if (seen) seen.detail = `${seen.detail as string}, ${p.name} (pid ${p.pid})`
    else rows.set(product.name, {active: null, detail: `${p.name} (pid ${p.pid})`, evidence: 'process', name: product.name})
  }
  return [...rows.values()]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [nc, ifconfig, route, processes] = await Promise.all([
    execOk(ctx.exec, TOOLS.scutil, ['--nc', 'list'], {timeoutMs: 5000}),
    execOk(ctx.exec, TOOLS.ifconfig, [], {timeoutMs: 5000}),
    defaultRoute(ctx.exec),
    listProcesses(ctx.exec),
  ])
  return [...connectionRows(parseNcList(nc.stdout)), ...interfaceRows(ifconfig.stdout, route), ...processRows(processes)]
}
