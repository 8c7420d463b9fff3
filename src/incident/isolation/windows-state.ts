// What the cut needs to know about a Windows PC, read from structured sources in one PowerShell
// run (it sits on the path to the cut): the firewall profiles in force (ActiveStore), whether Group
// Policy configures the firewall (RSOP store: its settings win over the local store netsh writes
// to), domain membership, the adapters, and which of them carry traffic the firewall never sees:
// bridged (the Network Bridge, a Hyper-V external switch, VMware's or VirtualBox's bridging, whose
// frames pass below the host's filtering) or shared (Internet Connection Sharing). netsh's words vary by version and language; these
// values do not. Each part is read on its own, so one failing part leaves the others usable.
import {firewallAction, gpoBoolean} from '../../facts/firewall/firewall.win32.js'
import {bool, int, objects, type PsObject, single, str} from '../../facts/win32/ps-json.js'
import type {WindowsFirewallProfile, WindowsFirewallState} from '../types.js'

/** Enums are cast to text where their numbering is not the NetSecurity one already handled by gpoBoolean/firewallAction. */
export const WINDOWS_STATE_PS = `$nmgState = [ordered]@{}
try { $nmgState.profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore -ErrorAction Stop | Select-Object 'Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction', 'AllowLocalFirewallRules', 'AllowLocalIPsecRules') } catch { $nmgState.profiles_error = $_.Exception.Message }
try { $nmgState.rsop = @(Get-NetFirewallProfile -PolicyStore RSOP -ErrorAction Stop | Select-Object 'Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction', 'AllowLocalFirewallRules') } catch { $nmgState.rsop_error = $_.Exception.Message }
try { $nmgState.part_of_domain = [bool](Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop).PartOfDomain } catch { $nmgState.part_of_domain = $null }
try { $nmgState.adapters = @(Get-NetAdapter -ErrorAction Stop | Select-Object 'Name', 'InterfaceDescription', @{ Name = 'Status'; Expression = { [string]$_.Status } }, @{ Name = 'AdminStatus'; Expression = { [string]$_.AdminStatus } }, @{ Name = 'MediaConnectionState'; Expression = { [string]$_.MediaConnectionState } }, @{ Name = 'ifIndex'; Expression = { [int]$_.ifIndex } }, 'HardwareInterface', 'Virtual') } catch { $nmgState.adapters_error = $_.Exception.Message }
try { $nmgState.bridging = @(Get-NetAdapterBinding -ErrorAction Stop | Where-Object { $_.Enabled -and @('ms_bridge', 'vms_pp', 'vmware_bridge', 'oracle_vboxnetlwf') -contains $_.ComponentID } | Select-Object 'Name', 'ComponentID') } catch { $nmgState.bridging_error = $_.Exception.Message }
try { $nmgShare = New-Object -ComObject HNetCfg.HNetShare; $nmgState.shared = @(foreach ($nmgConn in $nmgShare.EnumEveryConnection) { if ($nmgShare.INetSharingConfigurationForINetConnection.Invoke($nmgConn).SharingEnabled) { [string]$nmgShare.NetConnectionProps.Invoke($nmgConn).Name } }) } catch { $nmgState.shared_error = $_.Exception.Message }
$nmgState.default_routes = @(Get-NetRoute -AddressFamily IPv4 -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Select-Object 'ifIndex', 'NextHop')
[pscustomobject]$nmgState`

/** The PowerShell run is on the path to the cut: bounded, and the cut goes on without it. */
export const WINDOWS_STATE_TIMEOUT_MS = 20_000

export interface WindowsAdapterState {
  name: string
  /** Get-NetAdapter's Status: Up, Disconnected, Disabled, Not Present… */
  status: null | string
  enabled: boolean
  connected: boolean
  /** HardwareInterface and not Virtual; null when Windows did not say. */
  physical: boolean | null
}

export interface WindowsState {
  profiles: WindowsFirewallProfile[] | null
  firewall: WindowsFirewallState
  adapters: WindowsAdapterState[] | null
  /** Whether an IPv4 default route through a gateway existed; null when Windows did not say. */
  defaultRoute: boolean | null
  /** Adapters that bridge or share the network for VMs or other devices; null when neither part was read. */
  bridged: null | string[]
}

const PROFILES: Record<string, WindowsFirewallProfile['profile']> = {domain: 'domain', private: 'private', public: 'public'}

/** True/False/NotConfigured as text, whether ConvertTo-Json wrote the number or the name. */
const gpoText = (value: unknown): string => {
  const b = gpoBoolean(value)
  return b === null ? 'NotConfigured' : b ? 'True' : 'False'
}

/** A configured NetSecurity Action (Allow 2 / Block 4); NotConfigured (0) and unknowns are not. */
const actionText = (value: unknown): null | string => {
  const n = int(value)
  const s = (str(value) ?? '').toLowerCase()
  if (n === 2 || s === 'allow') return 'Allow'
  if (n === 4 || s === 'block') return 'Block'
  return null
}

/** ActiveStore profiles as the plan and isIsolated know them; any value we cannot read fails the whole read. */
export function readProfiles(rows: PsObject[]): WindowsFirewallProfile[] {
  if (rows.length === 0) throw new Error('Get-NetFirewallProfile returned no profile')
  return rows.map((row) => {
    const name = str(row.Name) ?? ''
    const profile = PROFILES[name.toLowerCase()]
    if (!profile) throw new Error(`Get-NetFirewallProfile: unknown profile ${JSON.stringify(row.Name)}`)
    // NotConfigured in the active store means Windows' default: on.
    const enabled = gpoBoolean(row.Enabled) ?? (/^(2|notconfigured)$/i.test(String(row.Enabled)) ? true : null)
    const inbound = firewallAction(row.DefaultInboundAction, 'inbound')
    const outbound = firewallAction(row.DefaultOutboundAction, 'outbound')
    if (enabled === null) throw new Error(`Get-NetFirewallProfile ${name}: unknown Enabled value ${JSON.stringify(row.Enabled)}`)
    if (inbound === null || outbound === null) throw new Error(`Get-NetFirewallProfile ${name}: unknown default action ${JSON.stringify([row.DefaultInboundAction, row.DefaultOutboundAction])}`)
    // In netsh's words, so a journal reads the same whichever source wrote it.
    const policy = `${inbound === 'block' ? 'Block' : 'Allow'}Inbound,${outbound === 'block' ? 'Block' : 'Allow'}Outbound`
    return {enabled, policy, profile}
  })
}

/** What the RSOP store (every GPO, domain or local, applied to the PC) configures that overrides netsh's changes. */
export function gpoReasons(rows: PsObject[]): string[] {
  const reasons: string[] = []
  for (const row of rows) {
    const name = str(row.Name) ?? '?'
    if (gpoBoolean(row.Enabled) !== null) reasons.push(`${name}: Enabled=${gpoText(row.Enabled)}`)
    for (const key of ['DefaultInboundAction', 'DefaultOutboundAction'] as const) {
      const action = actionText(row[key])
      if (action) reasons.push(`${name}: ${key}=${action}`)
    }
    // Local rules (ours) are ignored when the GPO forbids merging them (AllowLocalPolicyMerge = 0).
    if (gpoBoolean(row.AllowLocalFirewallRules) === false) reasons.push(`${name}: AllowLocalFirewallRules=False`)
  }
  return reasons
}

export function readAdapters(rows: PsObject[]): WindowsAdapterState[] {
  return rows
    .filter((row) => str(row.Name))
    .map((row) => {
      const status = str(row.Status)
      const admin = (str(row.AdminStatus) ?? '').toLowerCase()
      const media = (str(row.MediaConnectionState) ?? '').toLowerCase()
      // AdminStatus Up 1 / Down 2; MediaConnectionState Connected 1; Status is the summary of both.
      const enabled = admin === 'up' || admin === '1' ? true : admin === 'down' || admin === '2' ? false : !/^(disabled|not present)$/i.test(status ?? '')
      const connected = enabled && (/^up$/i.test(status ?? '') || (status === null && (media === 'connected' || media === '1')))
      const hardware = bool(row.HardwareInterface)
      const physical = hardware === null ? null : hardware && bool(row.Virtual) !== true
      return {connected, enabled, name: str(row.Name) as string, physical, status}
    })
}

/** The one object WINDOWS_STATE_PS wrote, each part read or its failure said. */
export function parseWindowsState(rows: unknown[]): WindowsState {
  const data = single(rows)
  const errors: string[] = []
  let profiles: WindowsFirewallProfile[] | null = null
  if (data.profiles_error === undefined && data.profiles !== undefined) {
    try {
      profiles = readProfiles(objects(data.profiles))
    } catch (error) {
      errors.push((error as Error).message)
    }
  } else {
    errors.push(`Get-NetFirewallProfile: ${str(data.profiles_error) ?? 'no answer'}`)
  }
  const rsopRead = data.rsop_error === undefined && data.rsop !== undefined
  const reasons = rsopRead ? gpoReasons(objects(data.rsop)) : []
  const partOfDomain = bool(data.part_of_domain)
  const adapters = data.adapters_error === undefined && data.adapters !== undefined ? readAdapters(objects(data.adapters)) : null
  const routes = data.default_routes === undefined ? null : objects(data.default_routes)
  const bridging = data.bridging_error === undefined && data.bridging !== undefined ? objects(data.bridging).map((row) => str(row.Name)) : null
  const shared = data.shared_error === undefined && data.shared !== undefined ? (Array.isArray(data.shared) ? data.shared : [data.shared]).map((name) => str(name)) : null
  const bridged = bridging === null && shared === null ? null : [...new Set([...(bridging ?? []), ...(shared ?? [])].filter((name): name is string => Boolean(name)))]
  return {
    adapters,
    bridged,
    // An on-link default (NextHop 0.0.0.0) has no gateway to come back.
    defaultRoute: routes === null ? null : routes.some((r) => /^\d+\.\d+\.\d+\.\d+$/.test(str(r.NextHop) ?? '') && str(r.NextHop) !== '0.0.0.0'),
    firewall: {
      adapters_source: adapters ? 'powershell' : null,
      error: profiles ? null : errors.join('; '),
      // Unread RSOP: Group Policy cannot be ruled out.
      gpo_managed: rsopRead ? reasons.length > 0 : null,
      gpo_reasons: rsopRead ? reasons : [`RSOP: ${str(data.rsop_error) ?? 'no answer'}`],
      part_of_domain: partOfDomain,
      source: profiles ? 'powershell' : null,
    },
    profiles,
  }
}

/** The state when PowerShell itself failed (Windows 7 has no Get-NetFirewallProfile; a timeout; a policy block). */
export const unreadState = (error: string): WindowsFirewallState => ({adapters_source: null, error, gpo_managed: null, gpo_reasons: [], part_of_domain: null, source: null})

/** Adapters to bounce (connected) and to disable (enabled physical, connected or not: Windows would join a known Wi-Fi once the cable's adapter is off). */
export function adapterSets(adapters: WindowsAdapterState[]): {bounce: string[]; disable: string[]} {
  const bounce = adapters.filter((a) => a.connected).map((a) => a.name)
  const physical = adapters.filter((a) => a.enabled && a.physical !== false && a.status !== 'Not Present').map((a) => a.name)
  // A PC whose only links Windows calls virtual (a VM guest, some USB modems) still needs them off.
  return {bounce, disable: physical.length > 0 ? physical : bounce}
}

const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`
/** An active IPv4 default route with a gateway: five columns, the interface an address and the metric a number (the persistent-routes section has four). */
const ACTIVE_DEFAULT = new RegExp(String.raw`^\s*0\.0\.0\.0\s+0\.0\.0\.0\s+(${IPV4})\s+${IPV4}\s+\d+\s*$`)

/** Whether `route print -4 0.0.0.0` shows an active default route through a gateway (its numbers read the same in every language). */
export function hasActiveDefaultRoute(text: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    const gateway = ACTIVE_DEFAULT.exec(line)?.[1]
    return gateway !== undefined && gateway !== '0.0.0.0'
  })
}
