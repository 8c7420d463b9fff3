// Network interfaces from iproute2's JSON output (`ip -d -j addr`, `ip -j route show table all`) plus
// a few sysfs facts (wireless, tun device, physical device); systeminformation stands in where `ip`
// is missing or too old for JSON (CentOS 7, 中标麒麟 7). network_interfaces lists them, vpn looks
// for tunnels in them: one parser, one read per gathering.
import {existsSync, readFileSync, readdirSync, readlinkSync} from 'node:fs'
import {basename, join} from 'node:path'

import {FactError} from '../../os/fact-error.js'
import type {CollectContext} from '../types.js'
import {perContext} from '../per-context.js'

export type LinkKind = 'cellular' | 'ethernet' | 'loopback' | 'tunnel' | 'virtual' | 'wifi'

export interface IpLink {
  name: string
  kind: LinkKind
  up: boolean
  /** CIDR addresses: 192.168.1.5/24, fe80::1/64. */
  addresses: string[]
  mac: null | string
  isVpn: boolean
  defaultRoute: boolean
  gateway: null | string
  /** Kernel driver (physical NICs) or link kind (tun, wireguard, bridge…), null when unknown. */
  driver: null | string
}

/** What sysfs says about one interface (/sys/class/net/<name>). */
export interface SysNetInfo {
  /** wireless/ or phy80211 exists, or uevent says DEVTYPE=wlan. */
  wireless: boolean
  /** uevent DEVTYPE (wlan, wwan, bridge, vlan…), null when absent. */
  devtype: null | string
  /** tun_flags exists: a tun/tap device. */
  tun: boolean
  /** device/ exists: backed by hardware (PCI, USB, virtio). */
  physical: boolean
  /** device/driver's name (e1000e, iwlwifi, r8169…), null when none. */
  driver: null | string
}

interface RawAddr {
  family?: string
  local?: string
  prefixlen?: number
}

interface RawLink {
  ifname?: string
  flags?: string[]
  operstate?: string
  link_type?: string
  address?: string
  linkinfo?: {info_kind?: string; info_data?: {type?: string}}
  addr_info?: RawAddr[]
}

interface RawRoute {
  type?: string
  dst?: string
  dev?: string
  gateway?: string
  table?: string
}

const parseJson = <T>(text: string, what: string): T[] => {
  const trimmed = text.trim()
  if (!trimmed) return []
  try {
    const value = JSON.parse(trimmed) as unknown
    return Array.isArray(value) ? (value as T[]) : []
  } catch {
    throw new FactError('failed', `${what} did not print JSON`)
  }
}

// Tunnels a VPN uses. gre/sit/ipip/vxlan also encapsulate, but carry site links or containers, and
// sit0/gre0 exist by default once their modules load: they count as virtual, not VPN.
const TUNNEL_KINDS = new Set(['tun', 'wireguard', 'ppp', 'vti', 'vti6', 'xfrm', 'ipsec'])
const TUNNEL_NAME = /^(tun|tap|wg|ppp|utun|ipsec)\d*/i
const VIRTUAL_NAME = /^(veth|virbr|docker|br-|vnet|vmnet|vboxnet|cni|flannel|cali|kube|lxc|lxdbr|podman)/i
const CELLULAR_NAME = /^(wwan|ww[a-z])/i

/** Sorts an interface into ethernet, wifi, tunnel, loopback, virtual or cellular. */
export function classifyLink(raw: RawLink, sys: SysNetInfo | undefined): LinkKind {
  const name = raw.ifname ?? ''
  const infoKind = raw.linkinfo?.info_kind
  if (raw.link_type === 'loopback') return 'loopback'
  if (sys?.wireless || sys?.devtype === 'wlan') return 'wifi'
  if (sys?.devtype === 'wwan' || CELLULAR_NAME.test(name)) return 'cellular'
  // Hypervisors' and container engines' tap devices (libvirt vnet0, docker veth…) are not VPNs;
  // ZeroTier (zt*) and Tailscale (tailscale0) are tunnels to other networks and stay tunnels.
  if (VIRTUAL_NAME.test(name)) return 'virtual'
  if ((infoKind && TUNNEL_KINDS.has(infoKind)) || sys?.tun || raw.link_type === 'none' || raw.link_type === 'ppp' || TUNNEL_NAME.test(name)) return 'tunnel'
  if (infoKind || sys?.devtype || (sys && !sys.physical)) return 'virtual'
  return 'ethernet'
}

/** Up when the kernel says UP, or (tunnels, loopback report UNKNOWN) when the link is UP with carrier. */
function isUp(raw: RawLink): boolean {
  if (raw.operstate === 'UP') return true
  if (raw.operstate === 'UNKNOWN') return (raw.flags ?? []).includes('UP') && (raw.flags ?? []).includes('LOWER_UP')
  return false
}

// The default route, and the halves OpenVPN's redirect-gateway def1 (and others) use to override it.
const DEFAULT_DSTS = new Set(['default', '0.0.0.0/0', '::/0', '0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'])

export interface DefaultRoute {
  dev: string
  gateway: null | string
}

/** Default routes from `ip -j route show table all`, any table (wg-quick uses its own). */
export function parseDefaultRoutes(json: string): DefaultRoute[] {
  return parseJson<RawRoute>(json, 'ip route')
    .filter((r) => r.dev && DEFAULT_DSTS.has(r.dst ?? '') && (!r.type || r.type === 'unicast'))
    .map((r) => ({dev: r.dev as string, gateway: r.gateway ?? null}))
}

/** Joins `ip -d -j addr`, the default routes and sysfs facts into one list. */
export function parseIpLinks(addrJson: string, routes: DefaultRoute[], sys: Record<string, SysNetInfo>): IpLink[] {
  return parseJson<RawLink>(addrJson, 'ip addr')
    .filter((raw) => raw.ifname)
    .map((raw) => {
      const name = raw.ifname as string
      const info = sys[name]
      const kind = classifyLink(raw, info)
      const mine = routes.filter((r) => r.dev === name)
      const mac = raw.address && raw.link_type === 'ether' && raw.address !== '00:00:00:00:00:00' ? raw.address.toLowerCase() : null
      return {
        addresses: (raw.addr_info ?? []).filter((a) => a.local).map((a) => `${a.local}/${a.prefixlen ?? (a.family === 'inet6' ? 128 : 32)}`),
        defaultRoute: mine.length > 0,
        driver: info?.driver ?? raw.linkinfo?.info_data?.type ?? raw.linkinfo?.info_kind ?? null,
        gateway: mine.find((r) => r.gateway)?.gateway ?? null,
        isVpn: kind === 'tunnel',
        kind,
        mac: kind === 'tunnel' ? null : mac,
        name,
        up: isUp(raw),
      }
    })
}

/** Parses /sys/class/net/<name>/uevent ("DEVTYPE=wlan"). */
export function parseUevent(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  return fields
}

/** Reads the sysfs facts of every interface under `root`/sys/class/net. */
export function readSysNet(root = '/'): Record<string, SysNetInfo> {
  const dir = join(root, 'sys', 'class', 'net')
  const out: Record<string, SysNetInfo> = {}
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of names) {
    const base = join(dir, name)
    let uevent = new Map<string, string>()
    try {
      uevent = parseUevent(readFileSync(join(base, 'uevent'), 'utf8'))
    } catch {
      // no uevent: leave empty
    }
    let driver: null | string = null
    try {
      driver = basename(readlinkSync(join(base, 'device', 'driver')))
    } catch {
      // virtual interfaces have no driver link
    }
    out[name] = {
      devtype: uevent.get('DEVTYPE') ?? null,
      driver,
      physical: existsSync(join(base, 'device')),
      tun: existsSync(join(base, 'tun_flags')),
      wireless: existsSync(join(base, 'wireless')) || existsSync(join(base, 'phy80211')),
    }
  }
  return out
}

export const IP_ADDR_ARGS = ['-d', '-j', 'addr', 'show']
export const IP_ROUTE_ARGS = ['-j', 'route', 'show', 'table', 'all']

/**
 * Runs iproute2 and reads sysfs. Throws missing_tool when `ip` is absent, and `failed` when this
 * iproute2 is too old for JSON (before 4.14), so callers can fall back to systeminformation.
 */
export async function readIpLinks(ctx: CollectContext, root = '/'): Promise<IpLink[]> {
  return perContext(ctx, `ip-links:${root}`, async () => {
    const [addr, route] = await Promise.all([
      ctx.exec('ip', IP_ADDR_ARGS, {timeoutMs: 5000}),
      ctx.exec('ip', IP_ROUTE_ARGS, {timeoutMs: 5000}),
    ])
    for (const r of [addr, route]) {
      if (r.code !== 0) throw new FactError('failed', `ip exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n')[0]?.slice(0, 200) ?? ''}`)
    }
    return parseIpLinks(addr.stdout, parseDefaultRoutes(route.stdout), readSysNet(root))
  })
}

/** The fields of systeminformation's networkInterfaces() used here. */
export interface SiInterface {
  iface: string
  ip4: string
  ip4subnet: string
  ip6: string
  ip6subnet: string
  mac: string
  internal: boolean
  virtual: boolean
  operstate: string
  type: string
  default: boolean
}

/** Netmask (255.255.255.0, ffff:ffff::) → prefix length. */
export function prefixLength(mask: string): number {
  const v6 = mask.includes(':')
  let bits = 0
  for (const part of mask.split(v6 ? ':' : '.')) {
    const n = Number.parseInt(part || '0', v6 ? 16 : 10)
    if (!Number.isNaN(n)) bits += n.toString(2).replace(/0/g, '').length
  }
  return bits
}

/** systeminformation's view (one IPv4 and one IPv6 address each, no gateway) as IpLinks. */
export function siLinks(list: SiInterface[]): IpLink[] {
  return list.map((i) => {
    const tunnel = TUNNEL_NAME.test(i.iface)
    const kind: LinkKind = i.internal ? 'loopback' : tunnel ? 'tunnel' : i.type === 'wireless' ? 'wifi' : i.virtual ? 'virtual' : 'ethernet'
    const addresses = [i.ip4 && `${i.ip4}/${prefixLength(i.ip4subnet)}`, i.ip6 && `${i.ip6}/${prefixLength(i.ip6subnet)}`].filter(Boolean) as string[]
    return {
      addresses,
      defaultRoute: i.default,
      driver: null,
      gateway: null,
      isVpn: tunnel,
      kind,
      mac: !tunnel && i.mac && i.mac !== '00:00:00:00:00:00' ? i.mac.toLowerCase() : null,
      name: i.iface,
      up: i.operstate === 'up' || (i.operstate === 'unknown' && (i.internal || tunnel)),
    }
  })
}

/** iproute2 when it can, else systeminformation (imported only then: it costs ~40 ms to load). */
export function interfaceList(ctx: CollectContext, root = '/'): Promise<IpLink[]> {
  return perContext(ctx, `interfaces:${root}`, async () => {
    try {
      return await readIpLinks(ctx, root)
    } catch (error) {
      if (!(error instanceof FactError) || (error.kind !== 'missing_tool' && error.kind !== 'failed')) throw error
    }
    const si = await import('systeminformation')
    return siLinks((await si.networkInterfaces()) as unknown as SiInterface[])
  })
}
