// macOS: `system_profiler SPAirPortDataType -json -detailLevel basic` (airport -I is gone since
// 14.4, and `networksetup -getairportnetwork` gives no security mode). Since macOS 14.4/15 the SSID
// (and BSSID) read "<redacted>" unless the asking process has Location Services permission: then
// ssid is null and `detail` says why. No Wi-Fi hardware, or Wi-Fi off / not associated → [].
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

type Json = Record<string, unknown>

export const REDACTED_DETAIL = 'SSID redacted by macOS: the process lacks Location Services permission'

const isRedacted = (name: string): boolean => /^<.*redacted.*>$/i.test(name.trim())

/**
 * "spairport_security_mode_wpa2_personal" → "wpa2". Mixed and transition modes report the
 * weakest protocol the network accepts (what an attacker can use). Some builds drop the leading
 * "s" ("pairport_security_mode_wpa3_transition"), so match on "security_mode_".
 */
export function securityFromMode(mode: unknown): null | string {
  if (typeof mode !== 'string' || mode === '') return null
  const m = /security_mode_(.+)$/.exec(mode)
  const raw = m ? (m[1] as string) : mode
  const enterprise = raw.includes('enterprise') ? '-enterprise' : ''
  if (raw === 'none') return 'open'
  if (raw.startsWith('owe')) return 'owe'
  if (raw.includes('wep')) return 'wep'
  if (raw.startsWith('wpa3')) return (raw.includes('transition') ? 'wpa2' : 'wpa3') + enterprise
  if (raw.startsWith('wpa2')) return (raw.includes('mixed') ? 'wpa' : 'wpa2') + enterprise
  if (raw.startsWith('wpa')) return 'wpa' + enterprise
  return raw
}

function networkRow(net: Json, iface: string, connected: boolean): Row {
  const name = typeof net._name === 'string' ? net._name : null
  const redacted = name !== null && isRedacted(name)
  const bssid = typeof net.spairport_network_bssid === 'string' && /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(net.spairport_network_bssid) ? net.spairport_network_bssid.toLowerCase() : null
  return {
    bssid,
    connected,
    detail: redacted ? REDACTED_DETAIL : null,
    interface: iface,
    security: securityFromMode(net.spairport_security_mode),
    ssid: redacted || name === '' ? null : name,
  }
}

export function parseAirport(json: string): Row[] {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    throw new FactError('failed', 'system_profiler SPAirPortDataType printed invalid JSON')
  }
  const groups = (data as {SPAirPortDataType?: unknown})?.SPAirPortDataType
  if (!Array.isArray(groups)) throw new FactError('failed', 'system_profiler printed no SPAirPortDataType list')
  const rows: Row[] = []
  for (const group of groups as Json[]) {
    const interfaces = Array.isArray(group?.spairport_airport_interfaces) ? (group.spairport_airport_interfaces as Json[]) : []
    for (const iface of interfaces) {
      const name = typeof iface._name === 'string' ? iface._name : ''
      // awdl0/llw0 (AirDrop, low-latency links) report a placeholder "current network".
      if (/^(awdl|llw|p2p)\d*$/.test(name)) continue
      const current = iface.spairport_current_network_information as Json | undefined
      const associated = iface.spairport_status_information === 'spairport_status_connected' || (typeof current?._name === 'string' && current._name !== '')
      if (current && associated) rows.push(networkRow(current, name, true))
      const others = iface.spairport_airport_other_local_wireless_networks
      if (Array.isArray(others)) for (const net of others as Json[]) rows.push(networkRow(net, name, false))
    }
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const result = await execOk(ctx.exec, TOOLS.systemProfiler, ['SPAirPortDataType', '-json', '-detailLevel', 'basic'], {timeoutMs: 12_000})
  return parseAirport(result.stdout)
}
