// The networks the PC is on now, offered as the district's approved ones: the Wi-Fi it is
// connected to, and the ranges of its wired and wireless interfaces that are up.
import {gatherFacts} from '../../facts/gather.js'
import {loadFacts} from '../../facts/load-facts.js'
import type {FactsSnapshot, Row} from '../../facts/types.js'
import {checkSsid, checkSubnet} from './answers.js'
import {networkOf, parseCidr} from './cidr.js'

export interface CurrentNetworks {
  ssids: string[]
  subnets: string[]
}

const TABLES = ['wifi', 'network_interfaces']
/** Kinds whose ranges can be an office network; tunnels, loopback and virtual bridges cannot. */
const LAN_KINDS = new Set(['ethernet', 'wifi'])

const rowsOf = (snapshot: FactsSnapshot, table: string): Row[] => {
  const result = snapshot.tables[table]
  return result && 'rows' in result ? result.rows : []
}

/** An interface's address as the range it sits in; link-local and loopback ranges are no office's. */
function rangeOf(address: string): string | undefined {
  const cidr = parseCidr(address)
  if (!cidr) return undefined
  if (cidr.family === 4 && /^(127\.|169\.254\.)/.test(cidr.address)) return undefined
  // Only global unicast IPv6 (2000::/3): link-local and unique-local prefixes say nothing of the office.
  if (cidr.family === 6 && !/^[23][0-9a-f]{0,3}:/i.test(cidr.address)) return undefined
  return networkOf(cidr)
}

export function networksFromFacts(snapshot: FactsSnapshot): CurrentNetworks {
  const ssids = rowsOf(snapshot, 'wifi')
    .filter((row) => row.connected === true && typeof row.ssid === 'string')
    .map((row) => row.ssid as string)
    .filter((ssid) => !checkSsid(ssid))
  // The interface carrying the default route first: it is the one an audit judges.
  const interfaces = rowsOf(snapshot, 'network_interfaces')
    .filter((row) => row.up === true && row.is_vpn !== true && LAN_KINDS.has(String(row.kind)))
    .sort((a, b) => Number(b.default_route === true) - Number(a.default_route === true))
  const subnets = interfaces
    .flatMap((row) => (Array.isArray(row.addresses) ? row.addresses : []))
    .map(rangeOf)
    .filter((range): range is string => range !== undefined && !checkSubnet(range))
  return {ssids: [...new Set(ssids)], subnets: [...new Set(subnets)]}
}

/** From a saved snapshot (`--facts`), or gathered now: just the two tables, under their usual timeouts. */
export async function currentNetworks(options: {facts?: string} = {}): Promise<CurrentNetworks> {
  const snapshot = options.facts ? await loadFacts(options.facts) : await gatherFacts({tables: TABLES})
  return networksFromFacts(snapshot)
}
