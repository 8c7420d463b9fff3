// Windows Defender Firewall: one row per profile (Domain, Private, Public) from the active policy
// store, i.e. what is enforced after group policy is merged, and whether the firewall service runs.
import type {CollectContext, Row} from '../types.js'
import {bool, int, objects, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'

export const SCRIPT = `$profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore -ErrorAction Stop | Select-Object 'Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction')
$service = Get-Service -Name mpssvc -ErrorAction SilentlyContinue | Select-Object @{ Name = 'Status'; Expression = { [string]$_.Status } }
[pscustomobject]@{ profiles = $profiles; service = $service }`

/**
 * The NetSecurity enums as ConvertTo-Json writes them (numbers) or as text: GpoBoolean False 0,
 * True 1, NotConfigured 2; Action NotConfigured 0, Allow 2, Block 4.
 */
export function gpoBoolean(value: unknown): boolean | null {
  if (value === 2 || /^notconfigured$/i.test(String(value))) return null
  return bool(value)
}

/** Allow → accept, Block → block; NotConfigured means Windows' default for that direction. */
export function firewallAction(value: unknown, direction: 'inbound' | 'outbound'): null | string {
  const n = int(value)
  const s = (str(value) ?? '').toLowerCase()
  if (n === 2 || s === 'allow') return 'accept'
  if (n === 4 || s === 'block') return 'block'
  if (n === 0 || s === 'notconfigured') return direction === 'inbound' ? 'block' : 'accept'
  return null
}

export function parseFirewall(fragment: unknown[]): Row[] {
  const data = single(fragment)
  const service = str(single(objects(data.service)).Status)
  // With the mpssvc service stopped no profile filters anything, whatever its setting says.
  const serviceStopped = service !== null && !/^running$/i.test(service)
  return objects(data.profiles)
    .filter((p) => str(p.Name))
    .map((p) => {
      const enabled = gpoBoolean(p.Enabled)
      return {
        default_inbound: firewallAction(p.DefaultInboundAction, 'inbound'),
        default_outbound: firewallAction(p.DefaultOutboundAction, 'outbound'),
        enabled: serviceStopped ? false : enabled,
        name: str(p.Name),
      }
    })
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseFirewall(await runFragment(ctx, 'firewall', SCRIPT, 'Get-NetFirewallProfile'))
}
