// `nm-guard incident reapply`, the boot step (#11 2.5): while the journal says an incident is open
// (reconnect has not closed it), the cut must be in effect. A restart empties nftables and raises
// links, so the boot unit (boot-unit.ts) runs this before any network comes up; on Windows, where
// the firewall policy and disabled adapters outlive a restart by themselves, it puts back whatever
// was undone. It re-applies the journalled plan exactly (the collector endpoint resolved before the
// first cut, no DNS), never snapshots again: `saved` stays the state from before the first cut, the
// one reconnect must restore. Nothing to do is the common case and costs one file read.
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {stateDir} from '../config/state-dir.js'
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import {currentPlatform} from '../os/platform.js'
import type {CutHold} from './cut-hold.js'
import {incidentDir, readJournal, updateJournal} from './journal.js'
import type {IsolationMethod, Journal} from './types.js'

export interface ReapplyOptions {
  lang: Lang
  platform?: Platform
  exec?: Exec
  root?: string
  now?: () => Date
}

export interface ReapplyResult {
  /** none: no open incident; in-effect: the cut already holds; reapplied: it did not, and now does. */
  action: 'in-effect' | 'none' | 'reapplied'
  incident_id: null | string
  method: IsolationMethod | null
  /** Windows: what the PC showed of the cut before anything was done (null elsewhere). */
  hold: CutHold | null
  warnings: string[]
}

export async function reapplyIsolation(options: ReapplyOptions): Promise<ReapplyResult> {
  const root = options.root ?? stateDir()
  const journal = await readJournal(root)
  if (!journal) return {action: 'none', hold: null, incident_id: null, method: null, warnings: []}

  const platform = options.platform ?? currentPlatform()
  if (journal.platform !== platform) throw new UserError('incident.otherPlatform', {platform: journal.platform}, EXIT.error)
  // pf's enable reference (the token beside the journal) does not survive a restart, and a stale
  // one would make the re-run skip `pfctl -E`: rules loaded into a disabled pf would cut nothing.
  if (platform === 'darwin') throw new UserError('incident.reapplyUnsupported', {platform}, EXIT.error)

  // Only an open incident gets this far: the rest loads now, not on every boot.
  const [{exec: realExec}, {withToolPaths}, {isAdmin}, {guardStateDir}, {createIsolator, IsolationFailed}] = await Promise.all([
    import('../os/spawn.js'),
    import('../os/tools.js'),
    import('../os/is-admin.js'),
    import('../os/state-dir-guard.js'),
    import('./isolation/isolator.js'),
  ])
  const exec = withToolPaths(options.exec ?? realExec, platform)
  if (!(await isAdmin(platform, exec))) throw new UserError('incident.needAdmin', {}, EXIT.error)
  // Windows (#11 2.1): a journal in a folder other accounts can change is not trusted, nor written.
  // The PC is still cut off, fully: its plan (a collector to keep) may have been rewritten, but
  // leaving an isolated PC on the network after a restart would be worse.
  let untrusted: null | UserError = null
  let stateDirWarning: null | string = null
  try {
    stateDirWarning = await guardStateDir({admin: true, dir: root, exec, lang: options.lang, platform})
  } catch (error) {
    if (!(error instanceof Error && 'key' in error)) throw error
    untrusted = error as UserError
  }
  const guarded = stateDirWarning ? [stateDirWarning] : []
  const now = options.now ?? (() => new Date())
  const dir = incidentDir(root)
  const isolator = createIsolator(platform, {exec, journalDir: dir, lang: options.lang})

  const {hold, inEffect} = await currentHold(journal, platform, exec, dir, () => isolator.isIsolated())
  const base = {hold, incident_id: journal.incident_id}
  if (untrusted) {
    if (!inEffect || journal.keep_collector) await isolator.isolate(journal.saved, null).catch(() => {})
    throw new UserError('incident.reapplyUntrusted', {problem: untrusted.message}, EXIT.error)
  }
  if (inEffect) return {...base, action: 'in-effect', method: journal.method, warnings: guarded}

  let outcome: Awaited<ReturnType<typeof isolator.isolate>>
  try {
    outcome = await isolator.isolate(journal.saved, journal.keep_collector)
  } catch (error) {
    const reasons = error instanceof IsolationFailed ? error.reasons.join('; ') : (error as Error).message
    await updateJournal({}, {at: now().toISOString(), event: 'incident.timeline.reapplyFailed', params: {error: reasons}}, root)
    throw new UserError('incident.reapplyFailed', {error: reasons}, EXIT.error)
  }
  const patch: Partial<Journal> = {
    // A cut that never took effect (a crash right after the journal) takes effect now.
    isolated_at: journal.isolated_at ?? now().toISOString(),
    method: outcome.method,
    phase: journal.phase === 'journalled' ? 'isolated' : journal.phase,
    // As disconnect records it: a method that takes the links down keeps no collector reachable.
    ...(outcome.full && journal.keep_collector ? {keep_collector: null} : {}),
  }
  await updateJournal(patch, {at: now().toISOString(), event: 'incident.timeline.reapplied', params: {method: outcome.method}}, root)
  return {...base, action: 'reapplied', method: outcome.method, warnings: [...guarded, ...outcome.warnings]}
}

/**
 * Whether the journalled cut is in effect now. Windows compares the firewall profiles, our rules
 * and the disabled adapters with the journal (our rule alone can outlive a profile switched back to
 * allow); elsewhere our table, chain or downed links being there is the cut. Unreadable counts as
 * not in effect: applying the cut again is harmless, trusting a cut that is gone is not.
 */
async function currentHold(journal: Journal, platform: Platform, exec: Exec, dir: string, isIsolated: () => Promise<boolean>): Promise<{hold: CutHold | null; inEffect: boolean}> {
  if (platform === 'win32') {
    const {windowsCutHold} = await import('./cut-hold.win32.js')
    const hold = await windowsCutHold(journal, exec, dir)
    return {hold, inEffect: hold?.state === 'held'}
  }
  return {hold: null, inEffect: await isIsolated().catch(() => false)}
}
