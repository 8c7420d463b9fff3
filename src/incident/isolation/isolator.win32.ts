// Windows isolation through netsh (plans in windows-firewall.ts), chosen from a structured reading of
// the PC (windows-state.ts, one PowerShell run): the firewall when the local policy is in force,
// the adapters switched off when Group Policy controls the firewall or its state cannot be read,
// each the other's fallback. netsh speaks the console code page (GBK on Chinese Windows), so its
// output is decoded before it is read or quoted.
import {existsSync} from 'node:fs'
import {mkdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../../os/atomic-write.js'
import {FactError} from '../../os/fact-error.js'
import {runPowerShell} from '../../os/powershell.js'
import type {Exec} from '../../facts/types.js'
import {objects} from '../../facts/win32/ps-json.js'
import type {CollectorEndpoint, Isolator, IsolatorOptions, Journal, LocalCheck, SavedNetworkState, WindowsFirewallState} from '../types.js'
import {IsolationFailed, RestoreFailed} from './isolator.linux.js'
import {t} from '../../i18n/messages.js'
import {
  adaptersDisabledPlan,
  allBlocked,
  disabledAdapters,
  enableCommands,
  firewallPlan,
  parseAllProfiles,
  connectedNames,
  policyFile,
  RULE_BLOCK_OUT,
  windowsMethods,
  windowsPlan,
  windowsRestoreCommands,
} from './windows-firewall.js'
import {interfacesNow, runConsoleTool} from './netsh-run.js'
import {adapterSets, hasActiveDefaultRoute, parseWindowsState, readProfiles, unreadState, WINDOWS_STATE_PS, WINDOWS_STATE_TIMEOUT_MS, type WindowsState} from './windows-state.js'

const BOUNCE = new Set(['incident.step.adapterDown', 'incident.step.adapterUp'])

/** Written before the first adapter is disabled, so restore() and isIsolated() know exactly which are ours. */
export const ADAPTERS_MARKER = 'adapters-disabled.json'

/** Restarted adapters usually reconnect in 2–5 s (Wi-Fi re-associates); past 15 s a probe proves nothing anyway. */
export const DEFAULT_SETTLE = {intervalMs: 500, timeoutMs: 15_000}

/** For isIsolated(): the profiles in force, as the snapshot reads them. */
export const PROFILES_PS = "Get-NetFirewallProfile -PolicyStore ActiveStore -ErrorAction Stop | Select-Object 'Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction'"

/** netsh (or another console tool: `route`), its output decoded from the console code page. */
const netsh = (exec: Exec, args: string[], tool = 'netsh'): Promise<{code: null | number; text: string}> => runConsoleTool(exec, args, tool)

async function netshOk(exec: Exec, args: string[]): Promise<string> {
  const {code, text} = await netsh(exec, args)
  if (code !== 0) throw new FactError('failed', `netsh ${args.join(' ')} exited ${code}: ${firstLine(text)}`)
  return text
}

const firstLine = (text: string): string => text.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? ''
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export function win32Isolator(options: IsolatorOptions): Isolator {
  const {exec, journalDir} = options
  const now = options.now ?? (() => new Date())
  const lang = options.lang ?? 'en'
  const settle = options.settle ?? DEFAULT_SETTLE
  const marker = join(journalDir, ADAPTERS_MARKER)

  /** The adapters netsh shows enabled and connected now; null when netsh cannot tell. */
  const connectedNow = async (): Promise<null | string[]> => {
    const rows = await interfacesNow(exec)
    return rows && connectedNames(rows)
  }

  const readMarker = async (): Promise<null | string[]> => {
    try {
      const names = JSON.parse(await readFile(marker, 'utf8')) as unknown
      return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : null
    } catch {
      return null
    }
  }

  const firewallIsolate = async (saved: SavedNetworkState, keep: CollectorEndpoint | null, warnings: string[]): Promise<void> => {
    // netsh refuses to export into a folder that does not exist.
    await mkdir(journalDir, {recursive: true})
    // A second run (the keep-collector fallback) must not export the already-isolated policy
    // over the real one, nor stack a second copy of our rules.
    const rerun = saved.windows_policy_file !== undefined && existsSync(saved.windows_policy_file)
    if (rerun) for (const args of windowsRestoreCommands(null)) await netsh(exec, args)
    for (const step of firewallPlan(saved, keep).commands) {
      if (rerun && step.purpose === 'incident.step.exportPolicy') continue
      if (BOUNCE.has(step.purpose)) {
        // The block is already in force: a failed bounce leaves open flows, which is worth a warning, not a failed cut.
        const bounced = await netsh(exec, step.args)
        if (bounced.code !== 0) warnings.push(t(lang, 'incident.isolation.bounceFailed', {adapter: step.args[3]?.replace(/^name=/, '') ?? '', error: firstLine(bounced.text)}))
        continue
      }
      await netshOk(exec, step.args)
    }
  }

  const adaptersOff = async (saved: SavedNetworkState, warnings: string[]): Promise<void> => {
    const steps = adaptersDisabledPlan(saved, null).commands
    if (steps.length === 0) throw new Error('no enabled network adapter to disable')
    await mkdir(journalDir, {mode: 0o700, recursive: true})
    // Merged with an earlier marker: a re-run must still give back every adapter the first run took.
    const names = [...new Set([...((await readMarker()) ?? []), ...disabledAdapters(saved)])]
    await writeFileAtomic(marker, `${JSON.stringify(names)}\n`, 0o600)
    const failed: string[] = []
    for (const step of steps) {
      const result = await netsh(exec, step.args)
      if (result.code === 0) continue
      const adapter = step.args[3]?.replace(/^name=/, '') ?? ''
      failed.push(`${adapter}: ${firstLine(result.text)}`)
      warnings.push(t(lang, 'incident.isolation.adapterStaysOn', {adapter, error: firstLine(result.text)}))
    }
    // Some off is a cut in part: verification finds the rest still connected and says so.
    if (failed.length === steps.length) throw new Error(failed.join('; '))
  }

  return {
    platform: 'win32',
    plan: windowsPlan,

    async snapshot() {
      let state: null | WindowsState = null
      let firewall: WindowsFirewallState
      try {
        state = parseWindowsState(await runPowerShell(exec, WINDOWS_STATE_PS, {recordAs: 'incident-state', timeoutMs: WINDOWS_STATE_TIMEOUT_MS}))
        firewall = state.firewall
      } catch (error) {
        // Windows 7 (no NetSecurity module), a timeout, PowerShell blocked by policy: the cut goes on without it.
        firewall = unreadState(`PowerShell: ${message(error)}`)
      }
      let sets: {bounce: string[]; disable: string[]}
      if (state?.adapters) {
        sets = adapterSets(state.adapters)
      } else {
        // Without any adapter list the firewall cut still holds for new connections; only the bounce is lost.
        const names = await connectedNow()
        sets = {bounce: names ?? [], disable: names ?? []}
        firewall = {...firewall, adapters_source: names ? 'netsh' : null}
      }
      return {
        ip6tables_save: null,
        iptables_save: null,
        links: [],
        nft_ruleset: null,
        platform: 'win32',
        routes: [],
        windows_adapters: sets.bounce,
        windows_disable: sets.disable,
        windows_default_route: state?.defaultRoute ?? null,
        windows_firewall: firewall,
        windows_policy_file: policyFile(journalDir, now()),
        ...(state?.profiles ? {windows_profiles: state.profiles} : {}),
        ...(state?.bridged?.length ? {windows_bridged: state.bridged} : {}),
      }
    },

    async isolate(saved, keep) {
      const {notes, order} = windowsMethods(saved)
      const warnings = notes.map((note) => t(lang, note.key, note.params))
      const reasons: string[] = []
      for (const [index, method] of order.entries()) {
        try {
          if (method === 'windows-firewall') {
            await firewallIsolate(saved, keep, warnings)
            return {method, warnings}
          }
          await adaptersOff(saved, warnings)
          if (keep) warnings.push(t(lang, 'incident.isolation.keepImpossible', {url: keep.url}))
          return {full: true, method, warnings}
        } catch (error) {
          const next = order[index + 1]
          reasons.push(`${method}: ${message(error)}`)
          warnings.push(next ? t(lang, 'incident.isolation.fallback', {method, next, reason: message(error)}) : t(lang, 'incident.isolation.lastFailed', {method, reason: message(error)}))
        }
      }
      throw new IsolationFailed(reasons, warnings)
    },

    async restore(journal: Journal) {
      const {saved} = journal
      // No export file means the firewall was never touched (a crash before step 1, or the adapters method).
      const file = saved.windows_policy_file
      const exported = file !== undefined && existsSync(file)
      const [importArgs, ...deletes] = windowsRestoreCommands(exported ? (file as string) : null)
      if (exported && importArgs) await netshOk(exec, importArgs)
      // "No rules match" is the normal answer once the import has removed them.
      for (const args of exported ? deletes : [importArgs as string[], ...deletes]) await netsh(exec, args)
      // Exactly the adapters a cut switched off: the marker written before the first one went off,
      // else (marker lost) what the journal says that method takes.
      const disabled = (await readMarker()) ?? (journal.method === 'adapters-disabled' ? disabledAdapters(saved) : [])
      const failures: string[] = []
      for (const args of enableCommands(disabled)) {
        const result = await netsh(exec, args)
        if (result.code !== 0) failures.push(`${args[3]}: ${firstLine(result.text)}`)
      }
      if (failures.length > 0) throw new RestoreFailed(failures)
      await rm(marker, {force: true})
      // A crash between a bounce's disable and enable must not leave an adapter off; enabling twice is harmless.
      if (journal.method !== 'adapters-disabled') {
        for (const args of enableCommands((saved.windows_adapters ?? []).filter((name) => !disabled.includes(name)))) await netsh(exec, args)
      }
    },

    async verifyLocal(saved, method): Promise<LocalCheck> {
      if (method === 'adapters-disabled') {
        // The cut is the adapters being off: look that they still are, rather than probe through a dead link.
        const names = (await readMarker()) ?? disabledAdapters(saved)
        const rows = await interfacesNow(exec)
        if (rows === null) return {adapters: names, state: 'not-ready'}
        // Held means each one shows administratively disabled, not merely unplugged for now.
        const open = names.filter((name) => rows.some((row) => row.name === name && row.admin !== 'disabled'))
        return open.length > 0 ? {adapters: open, state: 'reopened'} : {adapters: names, state: 'held'}
      }
      // Only adapters that reconnect on their own are awaited: a VPN's tunnel cannot, through the block.
      const physical = new Set(disabledAdapters(saved))
      const bounced = (saved.windows_adapters ?? []).filter((name) => physical.has(name))
      if (bounced.length === 0) return {adapters: [], state: 'ready'}
      const until = Date.now() + settle.timeoutMs
      const pause = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, settle.intervalMs))
      for (;;) {
        const connected = await connectedNow()
        const missing = connected === null ? bounced : bounced.filter((name) => !connected.includes(name))
        if (missing.length === 0) break
        if (Date.now() >= until) return {adapters: missing, state: 'not-ready'}
        await pause()
      }
      // Connected is not yet routed: until the address and the default route are back, a probe to
      // the gateway fails for want of a route, which would read as "blocked".
      if (saved.windows_default_route !== true) return {adapters: bounced, state: 'ready'}
      for (;;) {
        const routes = await netsh(exec, ['print', '-4', '0.0.0.0'], 'route').catch(() => null)
        if (routes && routes.code === 0 && hasActiveDefaultRoute(routes.text)) return {adapters: bounced, state: 'ready'}
        if (Date.now() >= until) return {adapters: bounced, state: 'not-ready'}
        await pause()
      }
    },

    async isIsolated() {
      const rule = await netsh(exec, ['advfirewall', 'firewall', 'show', 'rule', `name=${RULE_BLOCK_OUT}`])
      if (rule.code === 0) return true
      if (existsSync(marker)) return true
      try {
        return allBlocked(readProfiles(objects(await runPowerShell(exec, PROFILES_PS, {recordAs: 'incident-profiles', timeoutMs: WINDOWS_STATE_TIMEOUT_MS}))))
      } catch {
        // No PowerShell (Windows 7): netsh's words, the one source left.
        return allBlocked(parseAllProfiles(await netshOk(exec, ['advfirewall', 'show', 'allprofiles'])))
      }
    },

    async ruleset() {
      return netshOk(exec, ['advfirewall', 'show', 'allprofiles'])
    },
  }
}
