// Windows isolation as netsh commands (pure). The firewall method: export the policy, firewall on
// for every profile, default block in and out, block rules (which, unlike the default policy, also
// beat any existing allow rule), and with --keep-collector one outbound allow rule for the
// collector's address and port, spared by the outbound block. The inbound block spares nothing:
// the firewall is stateful, so replies of a connection this PC opened are let in without any
// inbound rule, while every connection opened from outside (the collector's address included)
// meets the block. The adapters-disabled method, for PCs whose firewall Group Policy controls: every
// enabled physical adapter switched off.
import {posix, win32} from 'node:path'

import type {CollectorEndpoint, IsolationMethod, IsolationPlan, PlanNote, PlannedCommand, SavedNetworkState, WindowsFirewallProfile} from '../types.js'
import {complementRanges} from './ip-ranges.js'
import {type MessageKey} from '../../i18n/messages.js'

export const RULE_BLOCK_IN = 'nm-guard block in'
export const RULE_BLOCK_OUT = 'nm-guard block out'
export const RULE_COLLECTOR = 'nm-guard collector'
export const OUR_RULES = [RULE_BLOCK_IN, RULE_BLOCK_OUT, RULE_COLLECTOR]

/** Where the policy is exported: a fresh name per incident, so a crash never imports an old one. */
export const policyFile = (journalDir: string, startedAt: Date): string =>
  // Joined in the folder's own style (a test on Linux passes a POSIX temp folder).
  (journalDir.includes('\\') ? win32 : posix).join(journalDir, `firewall-before-${startedAt.toISOString().replaceAll(/[-:.]/g, '')}.wfw`)

const netsh = (args: string[], purpose: MessageKey): PlannedCommand => ({args, file: 'netsh', purpose})

export type WindowsMethod = Extract<IsolationMethod, 'adapters-disabled' | 'windows-firewall'>

/**
 * The order to try the Windows methods in, and why. The firewall first when the local policy is in
 * force; adapters off first when Group Policy configures the firewall (its settings beat the local
 * store netsh writes to, so the block may change nothing), when the state could not be read, or
 * when an adapter bridges or shares the network (VMs' frames pass below the firewall).
 * The other method stays as the fallback either way. A snapshot without a reading (an old journal)
 * keeps the firewall first, as before.
 */
export function windowsMethods(saved: SavedNetworkState): {order: WindowsMethod[]; notes: PlanNote[]} {
  const state = saved.windows_firewall
  const adaptersFirst = {order: ['adapters-disabled', 'windows-firewall'] as WindowsMethod[]}
  if (state?.source === null) return {...adaptersFirst, notes: [{key: 'incident.isolation.stateUnread', params: {error: state.error ?? '-'}}]}
  if (state && state.gpo_managed !== false) {
    const notes: PlanNote[] =
      state.gpo_managed === true
        ? [{key: 'incident.isolation.gpoManaged', params: {reasons: state.gpo_reasons.join(', ')}}]
        : [{key: 'incident.isolation.gpoUnknown', params: {error: state.gpo_reasons.join(', ') || '-'}}]
    return {...adaptersFirst, notes}
  }
  // Bridged or shared traffic never meets the firewall's rules: only switching the adapters off cuts it.
  if (saved.windows_bridged?.length) return {...adaptersFirst, notes: [{key: 'incident.isolation.bridged', params: {adapters: saved.windows_bridged.join(', ')}}]}
  return {notes: [], order: ['windows-firewall', 'adapters-disabled']}
}

/** The plan for the first method that applies (what --dry-run prints and isolate() runs first). */
export function windowsPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  const {notes, order} = windowsMethods(saved)
  if (order[0] === 'adapters-disabled') {
    const adapters = adaptersDisabledPlan(saved, keep)
    if (adapters.commands.length > 0) return {...adapters, notes: [...notes, ...(adapters.notes ?? [])]}
    // Nothing to switch off: isolate() would fall back to the firewall at once, so that is the plan.
    return {...firewallPlan(saved, keep), notes: [...notes, {key: 'incident.isolation.noAdapters'}]}
  }
  return {...firewallPlan(saved, keep), notes}
}

/** Adapters disabled: every enabled physical adapter off, which no firewall policy can override. */
export function adaptersDisabledPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  // netsh rather than Disable-NetAdapter: netsh works from Windows 7 SP1 on, Disable-NetAdapter
  // (MSFT_NetAdapter) only from Windows 8, and it starts in milliseconds where PowerShell takes seconds.
  const commands = disabledAdapters(saved).map((name) => netsh(['interface', 'set', 'interface', `name=${name}`, 'admin=disabled'], 'incident.step.adapterDisable'))
  const notes: PlanNote[] = keep ? [{key: 'incident.isolation.keepImpossible', params: {url: keep.url}}] : []
  return {commands, method: 'adapters-disabled', platform: 'win32', notes}
}

/** The adapters adapters-disabled switches off (an old journal has only the connected ones). */
export const disabledAdapters = (saved: SavedNetworkState): string[] => saved.windows_disable ?? saved.windows_adapters ?? []

/** Switches back on exactly the adapters a cut switched off. */
export const enableCommands = (names: string[]): string[][] => names.map((name) => ['interface', 'set', 'interface', `name=${name}`, 'admin=enabled'])

export function firewallPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  if (!saved.windows_policy_file) throw new Error('the snapshot has no policy export path')
  const remoteOut = keep ? complementRanges(keep.addresses).join(',') : 'any'
  const commands = [
    netsh(['advfirewall', 'export', saved.windows_policy_file], 'incident.step.exportPolicy'),
    netsh(['advfirewall', 'set', 'allprofiles', 'state', 'on'], 'incident.step.firewallOn'),
    netsh(['advfirewall', 'set', 'allprofiles', 'firewallpolicy', 'blockinbound,blockoutbound'], 'incident.step.blockAll'),
    netsh(['advfirewall', 'firewall', 'add', 'rule', `name=${RULE_BLOCK_IN}`, 'dir=in', 'action=block', 'profile=any', 'remoteip=any'], 'incident.step.blockRules'),
    netsh(['advfirewall', 'firewall', 'add', 'rule', `name=${RULE_BLOCK_OUT}`, 'dir=out', 'action=block', 'profile=any', `remoteip=${remoteOut}`], 'incident.step.blockRules'),
  ]
  if (keep) {
    commands.push(
      netsh(
        ['advfirewall', 'firewall', 'add', 'rule', `name=${RULE_COLLECTOR}`, 'dir=out', 'action=allow', 'profile=any', `remoteip=${keep.addresses.join(',')}`, 'protocol=TCP', `remoteport=${keep.port}`],
        'incident.step.allowCollector',
      ),
    )
  }
  // The firewall judges a flow when it starts: connections already open would outlive the block.
  // Disabling and re-enabling each connected adapter ends them; every new one meets the block.
  for (const name of saved.windows_adapters ?? []) {
    commands.push(netsh(['interface', 'set', 'interface', `name=${name}`, 'admin=disabled'], 'incident.step.adapterDown'), netsh(['interface', 'set', 'interface', `name=${name}`, 'admin=enabled'], 'incident.step.adapterUp'))
  }
  return {commands, method: 'windows-firewall', platform: 'win32'}
}

/** Restore: import the exported policy (which replaces every rule), then delete ours by name in case. */
export function windowsRestoreCommands(policyPath: null | string): string[][] {
  return [
    ...(policyPath ? [['advfirewall', 'import', policyPath]] : []),
    ...OUR_RULES.map((name) => ['advfirewall', 'firewall', 'delete', 'rule', `name=${name}`]),
  ]
}

const PROFILE_NAMES: [WindowsFirewallProfile['profile'], RegExp][] = [
  ['domain', /Domain|域/i],
  ['private', /Private|专用/i],
  ['public', /Public|公用/i],
]

/**
 * netsh's firewall state word → on (true), off (false), or null for a word we do not know. The
 * words vary by version and language: `ON`/`OFF` in English, `启用`/`禁用` on zh-CN Windows 8 and
 * later, `打开`/`关闭` on zh-CN Windows 7. An unknown word is never guessed at: the caller must
 * treat it as "not known" (read the state elsewhere, or take another cut method).
 */
export function firewallStateWord(word: string): boolean | null {
  const w = word.trim()
  if (/^(on|启用|打开)$/i.test(w)) return true
  if (/^(off|禁用|关闭)$/i.test(w)) return false
  return null
}

/**
 * `netsh advfirewall show allprofiles` or `show currentprofile`, English or Chinese Windows: each
 * "<profile> Settings:" header is followed by a dashed rule, then `State ON` / `状态 启用` and
 * `Firewall Policy ...` (the policy words stay English in every language). `enabled` is null when
 * the state word is one we do not know; output with no profile, or a profile without a state or
 * policy line, is not netsh's table and throws.
 */
export function parseAllProfiles(text: string): WindowsFirewallProfile[] {
  const lines = text.split(/\r?\n/)
  const profiles: WindowsFirewallProfile[] = []
  for (let i = 1; i < lines.length; i++) {
    if (!/^\s*-{10,}\s*$/.test(lines[i] as string)) continue
    const header = lines[i - 1] as string
    const profile = PROFILE_NAMES.find(([, re]) => re.test(header))?.[0]
    if (!profile) continue
    let state: null | string = null
    let policy: null | string = null
    for (let j = i + 1; j < lines.length && (lines[j] as string).trim() !== ''; j++) {
      const line = (lines[j] as string).trim()
      const found = /^(?:State|状态)\s+(\S.*)$/i.exec(line)
      if (found && state === null) state = found[1] as string
      const action = /((?:Block|Allow)Inbound(?:Always)?,(?:Block|Allow)Outbound)/i.exec(line)
      if (action && policy === null) policy = action[1] as string
    }
    if (state === null || policy === null) throw new Error(`netsh advfirewall: cannot read the ${profile} profile`)
    profiles.push({enabled: firewallStateWord(state), policy, profile})
  }
  if (profiles.length === 0) throw new Error('netsh advfirewall: no profile found')
  return profiles
}

/** Every profile known to be on and blocking both directions: the state our plan leaves behind. */
export const allBlocked = (profiles: WindowsFirewallProfile[]): boolean =>
  profiles.length > 0 && profiles.every((p) => p.enabled === true && /^BlockInbound(Always)?,BlockOutbound$/i.test(p.policy))

export interface NetshInterfaceRow {
  /** null: a word we do not know (another language), never guessed at. */
  admin: 'disabled' | 'enabled' | null
  state: 'connected' | 'disconnected' | null
  /** As printed: Dedicated, Loopback, 专用… */
  type: string
  name: string
}

const ADMIN_WORDS: Record<string, NetshInterfaceRow['admin']> = {disabled: 'disabled', enabled: 'enabled', 已启用: 'enabled', 已禁用: 'disabled'}
const STATE_WORDS: Record<string, NetshInterfaceRow['state']> = {connected: 'connected', disconnected: 'disconnected', 已断开连接: 'disconnected', 已连接: 'connected'}

/** Where netsh starts each column, counted in characters, in every language seen (the English widths). */
const COLUMNS = [0, 15, 30, 47] as const

/** The row's fields by netsh's own columns, when the row has exactly that layout; else null. */
function byColumns(line: string): null | string[] {
  const [, state, type, name] = COLUMNS
  const starts = [state, type, name].every((at) => line.length > at && /\s/.test(line[at - 1] as string) && /\S/.test(line[at] as string))
  if (!starts) return null
  const fields = [line.slice(0, state), line.slice(state, type), line.slice(type, name), line.slice(name)].map((f) => f.trim())
  // Admin state and state are single words; a space inside means the columns are not netsh's.
  return fields.every((f) => f !== '') && !/\s/.test(`${fields[0]}${fields[1]}`) ? fields : null
}

/**
 * `netsh interface show interface`, English or Chinese Windows: "Admin State  State  Type
 * Interface Name" rows under a dashed rule. The header cannot give the columns: it is translated
 * and padded on its own, while the rows keep the English widths counted in characters (not where
 * a CJK console shows them). Rows in that layout are cut at those columns; rows whose padding was
 * lost (a copied transcript) are read by their shape: admin state, state and type one word each,
 * the name last, spaces and all.
 */
export function parseInterfaceTable(text: string): NetshInterfaceRow[] {
  const lines = text.split(/\r?\n/)
  const rule = lines.findIndex((line) => /^\s*-{10,}\s*$/.test(line))
  const rows: NetshInterfaceRow[] = []
  for (const line of rule === -1 ? lines : lines.slice(rule + 1)) {
    const tokens = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S.*?)\s*$/.exec(line)
    const fields = byColumns(line.trimEnd()) ?? tokens?.slice(1)
    if (!fields) continue
    const [adminWord, stateWord, type, name] = fields as [string, string, string, string]
    const admin = ADMIN_WORDS[adminWord.toLowerCase()] ?? null
    const state = STATE_WORDS[stateWord.toLowerCase()] ?? null
    // Without the rule (a mangled copy), only rows whose words we know are rows: not the header.
    if (rule === -1 && (admin === null || state === null)) continue
    rows.push({admin, name, state, type})
  }
  return rows
}

/** The names of the rows that are enabled and connected. */
export const connectedNames = (rows: readonly NetshInterfaceRow[]): string[] =>
  rows.filter((row) => row.admin === 'enabled' && row.state === 'connected').map((row) => row.name)

/** The adapters `netsh interface show interface` shows enabled and connected. */
export const parseConnectedAdapters = (text: string): string[] => connectedNames(parseInterfaceTable(text))
