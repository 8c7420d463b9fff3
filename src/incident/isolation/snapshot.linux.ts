// What reconnect needs to put Linux back exactly: the nftables and iptables rulesets, the links
// that were up, every route (link-down loses them) and the bridge ports (the iptables fallback
// takes them down). A missing tool is recorded as null.
import type {Exec} from '../../facts/types.js'
import type {SavedNetworkState} from '../types.js'
import {BRIDGE_PORTS_ARGS, parseBridgePorts} from './bridge-ports.js'
import {parseLinks} from './link-down.js'
import {stdoutOrNull} from './run-tool.js'

/** `ip -j route show table all` rows (IPv4 and IPv6 alike). */
export function parseRoutes(json: string): Record<string, unknown>[] {
  const rows = JSON.parse(json) as unknown
  if (!Array.isArray(rows)) throw new Error('ip -j route: not a JSON array')
  return rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
}

export async function snapshotLinux(exec: Exec): Promise<SavedNetworkState> {
  const [nft, ipt, ip6t, links, routes, ports] = await Promise.all([
    stdoutOrNull(exec, 'nft', ['list', 'ruleset']),
    stdoutOrNull(exec, 'iptables-save', []),
    stdoutOrNull(exec, 'ip6tables-save', []),
    stdoutOrNull(exec, 'ip', ['-j', 'link']),
    stdoutOrNull(exec, 'ip', ['-j', 'route', 'show', 'table', 'all']),
    stdoutOrNull(exec, 'ip', BRIDGE_PORTS_ARGS),
  ])
  return {
    bridge_ports: ports ? parseBridgePorts(ports).map(({bridge, name, up}) => ({bridge, name, up})) : [],
    ip6tables_save: ip6t,
    iptables_save: ipt,
    links: links ? parseLinks(links) : [],
    nft_ruleset: nft,
    platform: 'linux',
    routes: routes ? parseRoutes(routes) : [],
  }
}
