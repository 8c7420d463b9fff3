// macOS: `ifconfig` for addresses and state, `route -n get default` for the default route, and
// `networksetup -listallhardwareports` to tell Wi-Fi from Ethernet and iPhone tethering.
// macOS keeps idle utun0–utun3 for iCloud Private Relay, AirDrop and Handoff with only a fe80::
// address: a tunnel counts as a VPN only with an IPv4 address or the default route.
import {
  type DefaultRoute,
  defaultRoute,
  interfaceKind,
  isActiveVpnTunnel,
  isUp,
  parseHardwarePorts,
  parseIfconfig,
} from '../darwin/network.js'
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import type {CollectContext, Row} from '../types.js'

export function interfaceRows(ifconfig: string, route: DefaultRoute | null, ports: Map<string, string>): Row[] {
  return parseIfconfig(ifconfig).map((iface) => {
    const kind = interfaceKind(iface.name, ports.get(iface.name))
    const isDefault = route?.interface === iface.name
    return {
      addresses: [...iface.ipv4, ...iface.ipv6],
      default_route: isDefault,
      description: ports.get(iface.name) ?? null,
      gateway: isDefault ? (route?.gateway ?? null) : null,
      is_vpn: isActiveVpnTunnel(iface, route),
      kind,
      mac: kind === 'tunnel' || kind === 'loopback' ? null : iface.mac,
      name: iface.name,
      up: isUp(iface),
    }
  })
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [ifconfig, route, ports] = await Promise.all([
    execOk(ctx.exec, TOOLS.ifconfig, [], {timeoutMs: 5000}),
    defaultRoute(ctx.exec),
    // Only refines Wi-Fi/Ethernet/iPhone; without it kinds fall back to interface names.
    ctx.exec(TOOLS.networksetup, ['-listallhardwareports'], {timeoutMs: 8000}).then(
      (r) => parseHardwarePorts(r.code === 0 ? r.stdout : ''),
      () => new Map<string, string>(),
    ),
  ])
  return interfaceRows(ifconfig.stdout, route, ports)
}
