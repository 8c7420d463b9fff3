// Network interfaces on Linux: kind, addresses, and which carries the default route (see
// linux/ip-links.ts: iproute2 JSON + sysfs, systeminformation where `ip` can't help).
import {interfaceList, type IpLink} from '../linux/ip-links.js'
import type {CollectContext, Row} from '../types.js'

export function interfaceRows(links: IpLink[]): Row[] {
  return links.map((l) => ({
    addresses: l.addresses,
    default_route: l.defaultRoute,
    description: l.driver,
    gateway: l.gateway,
    is_vpn: l.isVpn,
    kind: l.kind,
    mac: l.mac,
    name: l.name,
    up: l.up,
  }))
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  return interfaceRows(await interfaceList(ctx, root))
}
