// Network adapters with their addresses and default routes (Get-NetAdapter, Get-NetIPAddress,
// Get-NetRoute), read once per gathering and shared by the network_interfaces and vpn tables.
// Adapter names are localised ("以太网", "WLAN", "本地连接 2"); kinds come from the media type and
// the driver description, which are not.
import type {CollectContext} from '../types.js'
import {bool, int, objects, single, str} from './ps-json.js'
import {sharedFragment} from './run-fragment.js'

export type AdapterKind = 'cellular' | 'ethernet' | 'loopback' | 'tunnel' | 'virtual' | 'wifi'

export interface Adapter {
  name: string
  index: null | number
  description: null | string
  kind: AdapterKind
  up: boolean
  mac: null | string
  addresses: string[]
  isVpn: boolean
  defaultRoute: boolean
  gateway: null | string
}

/**
 * MediaType/PhysicalMediaType/Status are script properties turned into text here so the JSON does
 * not depend on enum numbering. A missing default route makes Get-NetRoute error: that is "none".
 */
export const ADAPTERS_PS = `$adapters = @(Get-NetAdapter -ErrorAction Stop | Select-Object 'Name', 'InterfaceDescription', @{ Name = 'InterfaceIndex'; Expression = { [int]$_.ifIndex } }, @{ Name = 'Status'; Expression = { [string]$_.Status } }, 'MacAddress', @{ Name = 'MediaType'; Expression = { [string]$_.MediaType } }, @{ Name = 'PhysicalMediaType'; Expression = { [string]$_.PhysicalMediaType } }, 'Virtual', 'HardwareInterface')
$addresses = @(Get-NetIPAddress -ErrorAction SilentlyContinue | Select-Object 'InterfaceIndex', 'InterfaceAlias', 'IPAddress', 'PrefixLength', @{ Name = 'AddressFamily'; Expression = { [string]$_.AddressFamily } })
$routes = @(Get-NetRoute -DestinationPrefix '0.0.0.0/0', '::/0' -ErrorAction SilentlyContinue | Select-Object 'DestinationPrefix', 'NextHop', 'InterfaceIndex', 'RouteMetric', 'InterfaceMetric')
[pscustomobject]@{ adapters = $adapters; addresses = $addresses; routes = $routes }`

/**
 * Driver descriptions (or names) of tunnel adapters: OpenVPN's TAP-Windows, Wintun (WireGuard,
 * Tailscale, sing-box…), Sangfor EasyConnect/aTrust VNICs, Huawei SecoClient, H3C iNode, and
 * vendors' "Virtual Private"/"VPN" adapters (names.md). ZeroTier ports are tunnels to 不明网络 too.
 */
const TUNNEL = /\bTAP[-\s]?(Windows|Win32|Adapter)|\bTAP\b|Wintun|WireGuard|Sangfor|aTrust|EasyConnect|Virtual Private|SecoClient|iNode|VPN|OpenVPN|Tailscale|ZeroTier|Fortinet|AnyConnect|PANGP|TopSAP/i
const WIFI = /802\.11|Wi-?Fi|Wireless LAN|WLAN/i
const CELLULAR = /Wireless WAN|Mobile Broadband|WWAN|移动宽带/i
const VIRTUAL = /Hyper-V|vEthernet|VMware|VirtualBox|Virtual (Ethernet )?Adapter|Loopback Adapter|Npcap|Bluetooth|Wi-Fi Direct|Kernel Debug|Docker/i
const LOOPBACK = /Loopback Pseudo-Interface|^lo$/i

export function classifyAdapter(a: {name: string; description: null | string; mediaType?: null | string; physicalMediaType?: null | string; virtual?: boolean | null}): {kind: AdapterKind; isVpn: boolean} {
  const text = `${a.description ?? ''} ${a.name}`
  const media = `${a.physicalMediaType ?? ''} ${a.mediaType ?? ''}`
  if (LOOPBACK.test(a.name) || LOOPBACK.test(a.description ?? '')) return {isVpn: false, kind: 'loopback'}
  if (TUNNEL.test(a.description ?? '') || TUNNEL.test(a.name)) return {isVpn: true, kind: 'tunnel'}
  if (CELLULAR.test(media) || CELLULAR.test(text)) return {isVpn: false, kind: 'cellular'}
  // "Microsoft Wi-Fi Direct Virtual Adapter" says 802.11 too, but it is a virtual hotspot adapter.
  if (/Wi-Fi Direct/i.test(text)) return {isVpn: false, kind: 'virtual'}
  if (/802\.11/.test(media) || WIFI.test(a.description ?? '')) return {isVpn: false, kind: 'wifi'}
  if (a.virtual === true || VIRTUAL.test(text) || /BlueTooth/i.test(media)) return {isVpn: false, kind: 'virtual'}
  return {isVpn: false, kind: 'ethernet'}
}

/** "00-15-5D-01-02-03" → "00:15:5d:01:02:03"; empty or all-zero → null. */
export function normaliseMac(value: unknown): null | string {
  const s = str(value)
  if (!s) return null
  const mac = s.replaceAll('-', ':').toLowerCase()
  if (!/^([\da-f]{2}:){5}[\da-f]{2}$/.test(mac) || mac === '00:00:00:00:00:00') return null
  return mac
}

/** "fe80::1c2b:3a4d%12" + 64 → "fe80::1c2b:3a4d/64" (the zone index is local noise). */
function cidr(address: unknown, prefix: unknown): null | string {
  const ip = str(address)?.replace(/%\d+$/, '')
  const length = int(prefix)
  if (!ip) return null
  return length === null ? ip : `${ip}/${length}`
}

interface DefaultRoute {
  index: number
  nextHop: null | string
  metric: number
  v6: boolean
}

function defaultRoutes(rows: unknown): DefaultRoute[] {
  const out: DefaultRoute[] = []
  for (const r of objects(rows)) {
    const index = int(r.InterfaceIndex)
    if (index === null) continue
    const hop = str(r.NextHop)
    const onLink = hop === null || hop === '0.0.0.0' || hop === '::'
    out.push({
      index,
      metric: (int(r.RouteMetric) ?? 0) + (int(r.InterfaceMetric) ?? 0),
      nextHop: onLink ? null : hop,
      v6: (str(r.DestinationPrefix) ?? '').includes(':'),
    })
  }
  return out
}

/** Joins adapters, addresses and default routes (the fragment's one object) into adapters. */
export function parseAdapters(fragment: unknown[]): Adapter[] {
  const data = single(fragment)
  const addressRows = objects(data.addresses)
  const routes = defaultRoutes(data.routes)
  // Windows picks the default route with the lowest route + interface metric; IPv4 first.
  const best = [...routes].sort((a, b) => Number(a.v6) - Number(b.v6) || a.metric - b.metric)[0]

  const out: Adapter[] = []
  const seen = new Set<number>()
  const build = (name: string, index: null | number, description: null | string, extra: {mediaType?: null | string; physicalMediaType?: null | string; virtual?: boolean | null; status?: null | string; mac?: unknown}): Adapter => {
    const {isVpn, kind} = classifyAdapter({description, mediaType: extra.mediaType, name, physicalMediaType: extra.physicalMediaType, virtual: extra.virtual})
    const mine = routes.filter((r) => r.index === index)
    const gateway = mine.find((r) => !r.v6 && r.nextHop)?.nextHop ?? mine.find((r) => r.nextHop)?.nextHop ?? null
    const status = extra.status ?? null
    return {
      addresses: addressRows.filter((a) => int(a.InterfaceIndex) === index).map((a) => cidr(a.IPAddress, a.PrefixLength)).filter((a): a is string => a !== null),
      defaultRoute: best !== undefined && best.index === index,
      description,
      gateway,
      index,
      isVpn,
      kind,
      mac: kind === 'tunnel' || kind === 'loopback' ? null : normaliseMac(extra.mac),
      name,
      // Get-NetAdapter's Status is "Up", "Disconnected", "Disabled" or "Not Present" in every locale.
      up: status === null ? true : /^up$/i.test(status),
    }
  }

  for (const a of objects(data.adapters)) {
    const name = str(a.Name)
    if (!name) continue
    const index = int(a.InterfaceIndex ?? a.ifIndex)
    if (index !== null) seen.add(index)
    out.push(build(name, index, str(a.InterfaceDescription), {mac: a.MacAddress, mediaType: str(a.MediaType), physicalMediaType: str(a.PhysicalMediaType), status: str(a.Status), virtual: bool(a.Virtual)}))
  }
  // Interfaces Get-NetAdapter does not list (the loopback pseudo-interface) still have addresses.
  for (const a of addressRows) {
    const index = int(a.InterfaceIndex)
    const name = str(a.InterfaceAlias)
    if (index === null || !name || seen.has(index)) continue
    seen.add(index)
    out.push(build(name, index, null, {}))
  }
  return out
}

export async function adapterList(ctx: CollectContext): Promise<Adapter[]> {
  return parseAdapters(await sharedFragment(ctx, 'network_adapters', ADAPTERS_PS))
}
