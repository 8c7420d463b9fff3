// Signs of a VPN on Windows: tunnel adapters (the shared adapter list), VPN client processes and
// services (known-products.ts), and Windows' own VPN connections (Get-VpnConnection, the current
// user's and the all-user phone book).
import {VPN_CLIENTS} from '../known-products.js'
import type {CollectContext, Row} from '../types.js'
import {type Adapter, adapterList} from '../win32/net-adapters.js'
import {processList, type WinProcess} from '../win32/process-list.js'
import {objects, type PsObject, single, str} from '../win32/ps-json.js'
import {psQuote, runFragment} from '../win32/run-fragment.js'

/** WireGuard runs each tunnel as a service named WireGuardTunnel$<tunnel>. */
const WIREGUARD_TUNNEL = 'WireGuardTunnel$'
const SERVICE_NAMES = [...new Set([...VPN_CLIENTS.flatMap((c) => c.services ?? []), `${WIREGUARD_TUNNEL}*`])]

export const SCRIPT = `$services = @(Get-Service -Name ${SERVICE_NAMES.map(psQuote).join(', ')} -ErrorAction SilentlyContinue | Select-Object 'Name', 'DisplayName', @{ Name = 'Status'; Expression = { [string]$_.Status } })
$connections = @()
try { $connections += @(Get-VpnConnection -ErrorAction Stop | Select-Object 'Name', 'ServerAddress', @{ Name = 'TunnelType'; Expression = { [string]$_.TunnelType } }, @{ Name = 'ConnectionStatus'; Expression = { [string]$_.ConnectionStatus } }) } catch { }
try { $connections += @(Get-VpnConnection -AllUserConnection -ErrorAction Stop | Select-Object 'Name', 'ServerAddress', @{ Name = 'TunnelType'; Expression = { [string]$_.TunnelType } }, @{ Name = 'ConnectionStatus'; Expression = { [string]$_.ConnectionStatus } }) } catch { }
[pscustomobject]@{ services = $services; connections = $connections }`

function interfaceRows(adapters: Adapter[]): Row[] {
  return adapters
    .filter((a) => a.isVpn)
    .map((a) => ({
      active: a.up,
      detail: [a.description, a.up ? 'up' : 'down', ...a.addresses].filter(Boolean).join(' '),
      evidence: 'interface',
      name: a.name,
    }))
}

/** A running client is not proof of a connected tunnel: active is unknown (the interface row says). */
function processRows(processes: WinProcess[]): Row[] {
  const rows: Row[] = []
  for (const client of VPN_CLIENTS) {
    const wanted = new Set(client.processes.map((p) => p.toLowerCase().replace(/\.exe$/, '')))
    const seen = processes.filter((p) => wanted.has(p.name.toLowerCase().replace(/\.exe$/, '')))
    if (seen.length === 0) continue
    rows.push({active: null, detail: seen.map((p) => `${p.name} (pid ${p.pid})`).join(', '), evidence: 'process', name: client.name})
  }
  return rows
}

function serviceRows(services: PsObject[]): Row[] {
  const rows: Row[] = []
  for (const s of services) {
    const name = str(s.Name)
    if (!name) continue
    const running = /^running$/i.test(str(s.Status) ?? '')
    const tunnel = name.startsWith(WIREGUARD_TUNNEL)
    const client = tunnel ? VPN_CLIENTS.find((c) => c.name === 'WireGuard') : VPN_CLIENTS.find((c) => c.services?.some((x) => x.toLowerCase() === name.toLowerCase()))
    const display = str(s.DisplayName)
    rows.push({
      // A WireGuard tunnel service runs exactly while its tunnel is up; other clients' services run idle.
      active: tunnel ? running : null,
      detail: `service ${name} ${str(s.Status) ?? 'unknown'}${display && display !== name ? ` (${display})` : ''}`,
      evidence: 'service',
      name: tunnel ? `WireGuard ${name.slice(WIREGUARD_TUNNEL.length)}` : (client?.name ?? name),
    })
  }
  return rows
}

function connectionRows(connections: PsObject[]): Row[] {
  const rows: Row[] = []
  const seen = new Set<string>()
  for (const c of connections) {
    const name = str(c.Name)
    if (!name || seen.has(name)) continue
    seen.add(name)
    const server = str(c.ServerAddress)
    const type = str(c.TunnelType)
    rows.push({
      active: /^connected$/i.test(str(c.ConnectionStatus) ?? ''),
      detail: [server, type ? `(${type})` : null, str(c.ConnectionStatus)].filter(Boolean).join(' '),
      evidence: 'connection',
      name,
    })
  }
  return rows
}

export function parseVpn(fragment: unknown[], adapters: Adapter[], processes: WinProcess[]): Row[] {
  const data = single(fragment)
  return [...interfaceRows(adapters), ...processRows(processes), ...serviceRows(objects(data.services)), ...connectionRows(objects(data.connections))]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [fragment, adapters, processes] = await Promise.all([runFragment(ctx, 'vpn', SCRIPT, 'Get-Service / Get-VpnConnection'), adapterList(ctx), processList(ctx)])
  return parseVpn(fragment, adapters, processes)
}
