// Linux bridges and the cut (#11 2.4): a VM or container bridged through the PC sends frames that
// the bridge forwards at layer 2, past the IP hooks the inet table and the iptables chain live in
// (unless br_netfilter hands them over, which nothing guarantees). nftables drops them in its own
// `bridge` table; the iptables fallback takes the bridge ports down instead.
import type {BridgeCheck, BridgePort, PlannedCommand} from '../types.js'

export interface BridgePortState extends BridgePort {
  /** The port's STP state is forwarding: frames pass through it now. */
  forwarding: boolean
}

interface PortRow {
  ifname?: string
  master?: string
  flags?: string[]
  linkinfo?: {info_slave_kind?: string; info_slave_data?: {state?: string}}
}

/** Bridge ports from `ip -j -d link show type bridge_slave` (iproute2 prints `{}` for the links it filtered out). */
export function parseBridgePorts(json: string): BridgePortState[] {
  const rows = JSON.parse(json) as unknown
  if (!Array.isArray(rows)) throw new Error('ip -j -d link: not a JSON array')
  return (rows as PortRow[])
    .filter((row) => typeof row?.ifname === 'string' && typeof row.master === 'string' && row.linkinfo?.info_slave_kind === 'bridge')
    .map((row) => ({
      bridge: row.master as string,
      forwarding: row.linkinfo?.info_slave_data?.state === 'forwarding',
      name: row.ifname as string,
      up: (row.flags ?? []).includes('UP'),
    }))
}

export const BRIDGE_PORTS_ARGS = ['-j', '-d', 'link', 'show', 'type', 'bridge_slave']

/** The iptables fallback's extra steps: every bridge port that is up goes down. */
export const bridgePortsDownPlan = (ports: BridgePort[]): PlannedCommand[] =>
  ports.filter((p) => p.up).map((p) => ({args: ['link', 'set', 'dev', p.name, 'down'], file: 'ip', purpose: 'incident.step.bridgePortDown'}))

/**
 * What the bridges allow now: a bridge forwards only between two ports that both forward; our
 * bridge table's drop stops whatever they would. null: no bridge has a port at all.
 */
export function bridgeCheck(ports: BridgePortState[], dropsBridged: boolean): BridgeCheck | null {
  if (ports.length === 0) return null
  const bridges = [...new Set(ports.map((p) => p.bridge))].sort()
  const open = bridges.filter((bridge) => ports.filter((p) => p.bridge === bridge && p.forwarding).length >= 2)
  if (open.length === 0 || dropsBridged) return {bridges, state: 'blocked'}
  return {bridges: open, state: 'reachable'}
}
