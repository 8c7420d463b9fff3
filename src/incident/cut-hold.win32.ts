// Reads what a Windows PC shows now of the journalled cut (cut-hold.ts judges it): the firewall
// profiles in force (PowerShell's ActiveStore, else netsh's words) and our block rules, or the
// adapters the cut switched off. Every read is bounded; what cannot be read is said, never guessed.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runPowerShell} from '../os/powershell.js'
import type {Exec} from '../facts/types.js'
import {objects} from '../facts/win32/ps-json.js'
import {adaptersHold, type CutHold, firewallHold} from './cut-hold.js'
import {ADAPTERS_MARKER, PROFILES_PS} from './isolation/isolator.win32.js'
import {disabledAdapters, parseAllProfiles, RULE_BLOCK_IN, RULE_BLOCK_OUT} from './isolation/windows-firewall.js'
import {interfacesNow, runConsoleTool} from './isolation/netsh-run.js'
import {readProfiles, WINDOWS_STATE_TIMEOUT_MS} from './isolation/windows-state.js'
import type {Journal, WindowsFirewallProfile} from './types.js'

const NETSH_TIMEOUT_MS = 15_000

const netsh = (exec: Exec, args: string[]): Promise<{code: null | number; text: string}> => runConsoleTool(exec, args, 'netsh', NETSH_TIMEOUT_MS)

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

async function profilesNow(exec: Exec): Promise<{profiles: WindowsFirewallProfile[] | null; error: string}> {
  try {
    return {error: '', profiles: readProfiles(objects(await runPowerShell(exec, PROFILES_PS, {recordAs: 'incident-profiles', timeoutMs: WINDOWS_STATE_TIMEOUT_MS})))}
  } catch (psError) {
    // No PowerShell (Windows 7), or it failed: netsh's words, the one source left.
    try {
      const shown = await netsh(exec, ['advfirewall', 'show', 'allprofiles'])
      if (shown.code !== 0) throw new Error(`netsh advfirewall show allprofiles exited ${shown.code}`)
      return {error: '', profiles: parseAllProfiles(shown.text)}
    } catch (netshError) {
      return {error: `PowerShell: ${message(psError)}; netsh: ${message(netshError)}`, profiles: null}
    }
  }
}

/** netsh exits 0 when a rule of that name exists, 1 ("No rules match") when none does. */
async function ruleShown(exec: Exec, rule: string): Promise<boolean | null> {
  try {
    const shown = await netsh(exec, ['advfirewall', 'firewall', 'show', 'rule', `name=${rule}`])
    return shown.code === 0 ? true : shown.code === 1 ? false : null
  } catch {
    return null
  }
}

/** The adapters the cut switched off: the isolator's marker, else what the journal says that method takes. */
async function disabledByCut(journal: Journal, journalDir: string): Promise<string[]> {
  try {
    const names = JSON.parse(await readFile(join(journalDir, ADAPTERS_MARKER), 'utf8')) as unknown
    if (Array.isArray(names)) return names.filter((n): n is string => typeof n === 'string')
  } catch {
    // no marker: the journal's list
  }
  return disabledAdapters(journal.saved)
}

/** null when the journal records no Windows cut to check (none applied yet). */
export async function windowsCutHold(journal: Journal, exec: Exec, journalDir: string): Promise<CutHold | null> {
  if (journal.method === 'adapters-disabled') return adaptersHold(await interfacesNow(exec, NETSH_TIMEOUT_MS), await disabledByCut(journal, journalDir))
  if (journal.method !== 'windows-firewall') return null
  const [read, blockIn, blockOut] = await Promise.all([profilesNow(exec), ruleShown(exec, RULE_BLOCK_IN), ruleShown(exec, RULE_BLOCK_OUT)])
  return firewallHold(read.profiles, {[RULE_BLOCK_IN]: blockIn, [RULE_BLOCK_OUT]: blockOut}, read.error)
}
