// Listening TCP sockets and bound UDP endpoints (Get-NetTCPConnection -State Listen,
// Get-NetUDPEndpoint) with the owning process's image name from the shared process list.
import type {CollectContext, Row} from '../types.js'
import {processList, type WinProcess} from '../win32/process-list.js'
import {int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'

/** No listener at all makes these cmdlets error ("No matching … objects"): that is an empty list. */
export const SCRIPT = `$tcp = @(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue | Select-Object 'LocalAddress', 'LocalPort', 'OwningProcess')
$udp = @(Get-NetUDPEndpoint -ErrorAction SilentlyContinue | Select-Object 'LocalAddress', 'LocalPort', 'OwningProcess')
[pscustomobject]@{ tcp = $tcp; udp = $udp }`

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address)
}

function rows(entries: PsObject[], protocol: 'tcp' | 'udp', names: Map<number, string>): Row[] {
  const out: Row[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    const address = str(e.LocalAddress)?.replace(/%\d+$/, '')
    const port = int(e.LocalPort)
    if (!address || port === null) continue
    const pid = int(e.OwningProcess)
    const proto = address.includes(':') ? `${protocol}6` : protocol
    const key = `${proto} ${address} ${port} ${pid}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({address, loopback: isLoopback(address), pid, port, process: pid === null ? null : (names.get(pid) ?? null), protocol: proto})
  }
  return out
}

export function parseListeningPorts(fragment: unknown[], processes: WinProcess[]): Row[] {
  const data = single(fragment)
  const names = new Map(processes.map((p) => [p.pid, p.name]))
  return [...rows(objects(data.tcp), 'tcp', names), ...rows(objects(data.udp), 'udp', names)]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [fragment, processes] = await Promise.all([runFragment(ctx, 'listening_ports', SCRIPT, 'Get-NetTCPConnection / Get-NetUDPEndpoint'), processList(ctx)])
  return parseListeningPorts(fragment, processes)
}
