// Windows isolation as netsh commands (pure): export the policy, firewall on for every profile,
// default block in and out, block rules (which, unlike the default policy, also beat any existing
// allow rule), and with --keep-collector one allow rule for the collector, spared by the blocks.
import {posix, win32} from 'node:path'

import type {CollectorEndpoint, IsolationPlan, PlannedCommand, SavedNetworkState, WindowsFirewallProfile} from '../types.js'
import {complementRanges} from './ip-ranges.js'

export const RULE_BLOCK_IN = 'nm-guard block in'
export const RULE_BLOCK_OUT = 'nm-guard block out'
export const RULE_COLLECTOR = 'nm-guard collector'
export const OUR_RULES = [RULE_BLOCK_IN, RULE_BLOCK_OUT, RULE_COLLECTOR]

/** Where the policy is exported: a fresh name per incident, so a crash never imports an old one. */
export const policyFile = (journalDir: string, startedAt: Date): string =>
  // Joined in the folder's own style (a test on Linux passes a POSIX temp folder).
  (journalDir.includes('\\') ? win32 : posix).join(journalDir, `firewall-before-${startedAt.toISOString().replaceAll(/[-:.]/g, '')}.wfw`)

const netsh = (args: string[], purpose: string): PlannedCommand => ({args, file: 'netsh', purpose})

export function windowsPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  if (!saved.windows_policy_file) throw new Error('the snapshot has no policy export path')
  const remote = keep ? complementRanges(keep.addresses).join(',') : 'any'
  const commands = [
    netsh(['advfirewall', 'export', saved.windows_policy_file], 'incident.step.exportPolicy'),
    netsh(['advfirewall', 'set', 'allprofiles', 'state', 'on'], 'incident.step.firewallOn'),
    netsh(['advfirewall', 'set', 'allprofiles', 'firewallpolicy', 'blockinbound,blockoutbound'], 'incident.step.blockAll'),
    netsh(['advfirewall', 'firewall', 'add', 'rule', `name=${RULE_BLOCK_IN}`, 'dir=in', 'action=block', 'profile=any', `remoteip=${remote}`], 'incident.step.blockRules'),
    netsh(['advfirewall', 'firewall', 'add', 'rule', `name=${RULE_BLOCK_OUT}`, 'dir=out', 'action=block', 'profile=any', `remoteip=${remote}`], 'incident.step.blockRules'),
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
 * `netsh advfirewall show allprofiles`, English or Chinese Windows: each "<profile> Settings:"
 * header is followed by a dashed rule, then `State ON` / `状态 启用` and `Firewall Policy ...`.
 */
export function parseAllProfiles(text: string): WindowsFirewallProfile[] {
  const lines = text.split(/\r?\n/)
  const profiles: WindowsFirewallProfile[] = []
  for (let i = 1; i < lines.length; i++) {
    if (!/^-{10,}\s*$/.test(lines[i] as string)) continue
    const header = lines[i - 1] as string
    const profile = PROFILE_NAMES.find(([, re]) => re.test(header))?.[0]
    if (!profile) continue
    let enabled: boolean | null = null
    let policy: null | string = null
    for (let j = i + 1; j < lines.length && (lines[j] as string).trim() !== ''; j++) {
      const line = (lines[j] as string).trim()
      const state = /^(?:State|状态)\s+(\S+)$/i.exec(line)
      if (state) enabled = /^(on|启用)$/i.test(state[1] as string) ? true : /^(off|关闭|禁用)$/i.test(state[1] as string) ? false : null
      const found = /((?:Block|Allow)Inbound(?:Always)?,(?:Block|Allow)Outbound)/i.exec(line)
      if (found) policy = found[1] as string
    }
    if (enabled === null || policy === null) throw new Error(`netsh advfirewall show allprofiles: cannot read the ${profile} profile`)
    profiles.push({enabled, policy, profile})
  }
  if (profiles.length === 0) throw new Error('netsh advfirewall show allprofiles: no profile found')
  return profiles
}

/** Every profile on and blocking both directions: the state our plan leaves behind. */
export const allBlocked = (profiles: WindowsFirewallProfile[]): boolean =>
  profiles.length > 0 && profiles.every((p) => p.enabled && /^BlockInbound(Always)?,BlockOutbound$/i.test(p.policy))

/**
 * `netsh interface show interface` (English or Chinese Windows): "Admin State  State  Type  Interface
 * Name" rows; the name (last column) may contain spaces. Returns the enabled, connected adapters.
 */
export function parseConnectedAdapters(text: string): string[] {
  const names: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S.*?)\s*$/.exec(line)
    if (!match) continue
    const [, admin, state, , name] = match as unknown as [string, string, string, string, string]
    if (/^(Enabled|已启用)$/i.test(admin) && /^(Connected|已连接)$/i.test(state)) names.push(name)
  }
  return names
}
