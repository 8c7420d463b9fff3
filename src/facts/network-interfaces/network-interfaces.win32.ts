// Network interfaces from Get-NetAdapter / Get-NetIPAddress / Get-NetRoute (src/facts/win32/
// net-adapters.ts, shared with the vpn table): kind, state, addresses, and the default route.
import type {CollectContext, Row} from '../types.js'
import {type Adapter, adapterList, parseAdapters} from '../win32/net-adapters.js'

export function interfaceRows(adapters: Adapter[]): Row[] {
  return adapters.map((a) => ({
    addresses: a.addresses,
    default_route: a.defaultRoute,
    description: a.description,
    gateway: a.gateway,
    is_vpn: a.isVpn,
    kind: a.kind,
    mac: a.mac,
    name: a.name,
    up: a.up,
  }))
}

/** The shared fragment's raw output → rows (what the collector does, for tests and fixtures). */
export function parseNetworkInterfaces(fragment: unknown[]): Row[] {
  return interfaceRows(parseAdapters(fragment))
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return interfaceRows(await adapterList(ctx))
}
