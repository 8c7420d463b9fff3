// macOS network state shared by network_interfaces and vpn: `ifconfig`, `route -n get default`
// and `networksetup -listallhardwareports`.
import type {Exec} from '../types.js'
import {TOOLS} from '../../os/tools.darwin.js'

export interface IfconfigInterface {
  name: string
  flags: string[]
  /** Link state from the `status:` line (active/inactive), null when the interface has none. */
  status: null | string
  mac: null | string
  ipv4: string[]
  ipv6: string[]
}

export function parseIfconfig(text: string): IfconfigInterface[] {
  const list: IfconfigInterface[] = []
  let current: IfconfigInterface | undefined
  for (const line of text.split('\n')) {
    const head = /^([A-Za-z][\w.-]*): flags=[0-9a-f]+<([^>]*)>/i.exec(line)
    if (head) {
      current = {flags: (head[2] as string).split(',').filter(Boolean), ipv4: [], ipv6: [], mac: null, name: head[1] as string, status: null}
      list.push(current)
      continue
    }
    if (!current || !/^\s/.test(line)) continue
    const body = line.trim()
    let m: null | RegExpExecArray
    if ((m = /^ether ([0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5})\b/i.exec(body))) current.mac = normaliseMac(m[1] as string)
    else if ((m = /^inet (\d+\.\d+\.\d+\.\d+)(?: --> \S+)? netmask (0x[0-9a-f]+|\d+\.\d+\.\d+\.\d+)/i.exec(body)))
      current.ipv4.push(`${m[1]}/${prefixFromMask(m[2] as string)}`)
    else if ((m = /^inet (\d+\.\d+\.\d+\.\d+)/.exec(body))) current.ipv4.push(`${m[1]}/32`)
    else if ((m = /^inet6 ([0-9a-f:.]+)(?:%\S+)? prefixlen (\d+)/i.exec(body))) current.ipv6.push(`${m[1]}/${m[2]}`)
    else if ((m = /^status: (\S+)/.exec(body))) current.status = m[1] as string
  }
  return list
}

/** `0xffffff00` or `255.255.255.0` → 24. */
export function prefixFromMask(mask: string): number {
  const n = mask.startsWith('0x') ? Number.parseInt(mask, 16) : mask.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)
  let bits = 0
  for (let v = n >>> 0; v; v = (v << 1) >>> 0) bits++
  return bits
}

/** Zero-padded lower case, as every other platform prints MACs. */
export const normaliseMac = (mac: string): string =>
  mac
    .toLowerCase()
    .split(':')
    .map((part) => part.padStart(2, '0'))
    .join(':')

export interface DefaultRoute {
  interface: string
  gateway: null | string
}

/** `route -n get default`; null when there is no default route ("not in table"). */
export function parseRouteGetDefault(text: string): DefaultRoute | null {
  const iface = /^\s*interface:\s*(\S+)/m.exec(text)?.[1]
  if (!iface) return null
  const gateway = /^\s*gateway:\s*(\S+)/m.exec(text)?.[1] ?? null
  return {gateway, interface: iface}
}

/** `networksetup -listallhardwareports` → device → hardware port name ("Wi-Fi", "USB 10/100/1000 LAN"). */
export function parseHardwarePorts(text: string): Map<string, string> {
  const ports = new Map<string, string>()
  let port: null | string = null
  for (const line of text.split('\n')) {
    const p = /^Hardware Port:\s*(.+?)\s*$/.exec(line)
    if (p) {
      port = p[1] as string
      continue
    }
    const d = /^Device:\s*(\S+)/.exec(line)
    if (d && port !== null) {
      ports.set(d[1] as string, port)
      port = null
    }
  }
  return ports
}

/** Point-to-point tunnel interfaces that VPNs use (utun: IKEv2/WireGuard/Network Extensions; ppp: L2TP/PPTP; ipsec: Cisco IPSec). */
export const isVpnTunnelName = (name: string): boolean => /^(utun|ppp|ipsec|tun|tap|wg)\d*$/.test(name)

/** A tunnel interface carrying traffic: an IPv4 address, or the default route. */
export const isActiveVpnTunnel = (iface: IfconfigInterface, route: DefaultRoute | null): boolean =>
  isVpnTunnelName(iface.name) && (iface.ipv4.length > 0 || route?.interface === iface.name)

/** Administratively up, and with link where the interface reports link state. */
export const isUp = (iface: IfconfigInterface): boolean =>
  iface.flags.includes('UP') && (iface.status === null || iface.status === 'active')

/** No default route makes `route` exit 1 ("not in table"): that is an answer, not a failure. */
export async function defaultRoute(exec: Exec): Promise<DefaultRoute | null> {
  const result = await exec(TOOLS.route, ['-n', 'get', 'default'], {timeoutMs: 5000})
  return result.code === 0 ? parseRouteGetDefault(result.stdout) : null
}

export type InterfaceKind = 'cellular' | 'ethernet' | 'loopback' | 'tunnel' | 'virtual' | 'wifi'

export function interfaceKind(name: string, port: string | undefined): InterfaceKind {
  if (port !== undefined) {
    if (/wi-?fi|airport|无线局域网/i.test(port)) return 'wifi'
    if (/iphone|ipad|modem|cellular|蜂窝/i.test(port)) return 'cellular'
    if (/bridge|网桥|bluetooth|蓝牙|vpn/i.test(port)) return 'virtual'
    if (/ethernet|lan|以太网|thunderbolt|雷雳/i.test(port)) return 'ethernet'
  }
  if (/^lo\d*$/.test(name)) return 'loopback'
  if (isVpnTunnelName(name) || /^(gif|stf)\d+$/.test(name)) return 'tunnel'
  if (/^en\d+$/.test(name)) return 'ethernet'
  return 'virtual'
}
