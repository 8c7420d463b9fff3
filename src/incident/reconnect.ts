// `nm-guard reconnect`: put back exactly the journalled network state, from any phase a crashed
// disconnect left behind, prove the ruleset equals the one before the cut, then archive the journal
// and send the notices that waited in the queue.
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {stateDir} from '../config/state-dir.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import {isAdmin} from '../os/is-admin.js'
import {guardStateDir} from '../os/state-dir-guard.js'
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import {type MessageKey, t} from '../i18n/messages.js'
import {createIsolator} from './isolation/isolator.js'
import {normalizeNftRuleset} from './isolation/nftables-script.js'
import {archiveJournal, incidentDir, lastArchived, readJournal} from './journal.js'
import {flushNotices, type NoticeOutcome, queueIncidentNotice} from './notice.js'
import type {IsolationMethod} from './types.js'

export interface ReconnectOptions {
  lang: Lang
  platform?: Platform
  exec?: Exec
  root?: string
  now?: () => Date
  progress?: (line: string) => void
}

export interface ReconnectResult {
  incident_id: string
  method: IsolationMethod | null
  restored_at: string
  /** The firewall ruleset after equals the journalled one (null: no nft to compare with). */
  ruleset_equal: boolean | null
  archived: string
  report_path: null | string
  notice: NoticeOutcome
  warnings: string[]
  exit_code: number
}

export async function reconnect(options: ReconnectOptions): Promise<ReconnectResult> {
  const platform = options.platform ?? currentPlatform()
  const exec = withToolPaths(options.exec ?? realExec, platform)
  const root = options.root ?? stateDir()
  const now = options.now ?? (() => new Date())
  const say = options.progress ?? (() => {})
  const tr = (key: MessageKey, params?: Record<string, number | string>): string => t(options.lang, key, params)
  if (!(await isAdmin(platform, exec))) throw new UserError('incident.needAdmin', {}, EXIT.error)

  const journal = await readJournal(root)
  if (!journal) {
    const last = await lastArchived(root)
    if (last) throw new UserError('incident.nothingToRestoreSince', {id: last.journal.incident_id, path: last.path}, EXIT.error)
    throw new UserError('incident.nothingToRestore', {}, EXIT.error)
  }
  if (journal.platform !== platform) throw new UserError('incident.otherPlatform', {platform: journal.platform}, EXIT.error)
  // Windows (#11 2.1): a journal in a folder other accounts can change is not acted on, nor archived
  // there, and no notice is queued in it.
  const stateDirWarning = await guardStateDir({admin: true, dir: root, exec, lang: options.lang, platform})

  const isolator = createIsolator(platform, {exec, journalDir: incidentDir(root), lang: options.lang})
  try {
    await isolator.restore(journal)
  } catch (error) {
    // The journal stays, so reconnect can simply be run again once the cause is fixed.
    throw new UserError('incident.restoreFailed', {error: (error as Error).message}, EXIT.error)
  }
  let rulesetEqual: boolean | null = null
  if (journal.saved.nft_ruleset !== null) {
    // Counters move while the PC runs; the rules themselves must be identical.
    rulesetEqual = normalizeNftRuleset(await isolator.ruleset()) === normalizeNftRuleset(journal.saved.nft_ruleset)
    // The journal stays: reconnect can be run again once whatever changed the ruleset is understood.
    if (!rulesetEqual) throw new UserError('incident.restoreMismatch', {}, EXIT.error)
  }
  const restoredAt = now().toISOString()
  say(tr('incident.progress.restored', {method: journal.method ?? '-'}))

  const closed = {...journal, timeline: [...journal.timeline, {at: restoredAt, event: 'incident.timeline.reconnected'}]}
  // The notice is queued before the journal is archived, so a crash between the two loses nothing.
  const queued = await queueIncidentNotice({event: 'reconnected', flush: false, journal: closed, manifestSha256: null, now, root})
  const archived = await archiveJournal(closed, root)
  const warnings = queued.warnings.map((w) => tr(w.key, w.params))
  if (stateDirWarning) warnings.push(stateDirWarning)

  let reportPath: null | string = null
  try {
    const {writeIncidentDraft} = await import('./write-draft.js')
    reportPath = (await writeIncidentDraft({lang: 'zh-CN', now: now(), root})).html
  } catch (error) {
    warnings.push(tr('incident.draftFailed', {error: (error as Error).message}))
  }

  let notice: NoticeOutcome = queued.outcome
  if (queued.outcome === 'queued') {
    const sent = await flushNotices(root)
    notice = sent.outcome
    warnings.push(...sent.warnings.map((w) => tr(w.key, w.params)))
  }
  say(tr(`incident.reconnectNotice.${notice}`))
  return {
    archived,
    exit_code: notice === 'queued' ? EXIT.unreachable : EXIT.ok,
    incident_id: journal.incident_id,
    method: journal.method,
    notice,
    report_path: reportPath,
    restored_at: restoredAt,
    ruleset_equal: rulesetEqual,
    warnings,
  }
}
