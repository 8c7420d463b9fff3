// Does the journalled Windows cut still hold? Windows keeps the firewall policy netsh set and the
// adapters it disabled across a restart by itself, but anyone with administrator rights, or a Group
// Policy refresh at boot, can undo either. `incident status` (and `incident reapply`) compare what
// the PC shows now with what the cut left, instead of assuming. Pure: cut-hold.win32.ts reads.
import type {NetshInterfaceRow} from './isolation/windows-firewall.js'
import type {WindowsFirewallProfile} from './types.js'

export type HoldChange =
  | {kind: 'adapter-enabled'; adapter: string}
  | {kind: 'profile-off'; profile: string}
  | {kind: 'profile-policy'; profile: string; policy: string}
  | {kind: 'rule-missing'; rule: string}

export interface CutHold {
  /** held: everything the cut set is still so; changed: something was undone; unknown: could not be read. */
  state: 'changed' | 'held' | 'unknown'
  changes: HoldChange[]
  /** What could not be read (state unknown, or alongside changes). */
  unread: string[]
}

const PROFILES: WindowsFirewallProfile['profile'][] = ['domain', 'private', 'public']

const hold = (changes: HoldChange[], unread: string[]): CutHold => ({changes, state: changes.length > 0 ? 'changed' : unread.length > 0 ? 'unknown' : 'held', unread})

/**
 * The firewall method: every profile on and blocking both directions (the policy the cut set), and
 * our block rules still there. `rules`: each rule's name → shown (true), gone (false), unread (null).
 */
export function firewallHold(profiles: WindowsFirewallProfile[] | null, rules: Record<string, boolean | null>, profilesError = 'no profile read'): CutHold {
  const changes: HoldChange[] = []
  const unread: string[] = []
  if (profiles === null) unread.push(profilesError)
  for (const name of profiles === null ? [] : PROFILES) {
    const profile = profiles?.find((p) => p.profile === name)
    if (!profile) {
      unread.push(`${name}: not shown`)
      continue
    }
    if (profile.enabled === false) changes.push({kind: 'profile-off', profile: name})
    else if (profile.enabled === null) unread.push(`${name}: state unknown`)
    if (!/^BlockInbound(Always)?,BlockOutbound$/i.test(profile.policy)) changes.push({kind: 'profile-policy', policy: profile.policy, profile: name})
  }
  for (const [rule, shown] of Object.entries(rules)) {
    if (shown === false) changes.push({kind: 'rule-missing', rule})
    else if (shown === null) unread.push(`${rule}: unread`)
  }
  return hold(changes, unread)
}

/** The adapters method: each adapter the cut switched off still shows administratively disabled. */
export function adaptersHold(rows: NetshInterfaceRow[] | null, adapters: string[]): CutHold {
  if (rows === null) return hold([], ['netsh interface show interface: unread'])
  const changes: HoldChange[] = []
  const unread: string[] = []
  for (const adapter of adapters) {
    const row = rows.find((r) => r.name === adapter)
    // Gone (unplugged USB adapter, renamed) carries no traffic now, but nobody can say it stays so.
    if (!row || row.admin === null) unread.push(`${adapter}: ${row ? 'state unknown' : 'not shown'}`)
    else if (row.admin === 'enabled') changes.push({adapter, kind: 'adapter-enabled'})
  }
  return hold(changes, unread)
}
