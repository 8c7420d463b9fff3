// `nm-guard disconnect`, in the plan's order (四(二)-12): journal the network state (fsync), cut,
// verify the cut, tell the person at the PC on screen, then collect evidence, draft the report and
// queue a notice. Everything after the cut is loaded lazily so nothing slows the cut itself, and
// nothing after it can undo it.
import {randomUUID} from 'node:crypto'
import {readdir} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {stateDir} from '../config/state-dir.js'
import {loadEnrollment} from '../agent/identity.js'
import {agentPaths} from '../agent/paths.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import {isAdmin} from '../os/is-admin.js'
import {ensureAdminDir} from '../os/admin-dir.js'
import {unsafeDirError} from '../os/safe-dir.js'
import {stateDirProblem, UNSAFE_STATE_FOLDER} from '../os/state-dir-guard.js'
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import {type MessageKey, t} from '../i18n/messages.js'
import {gatewayOf} from './gateway.js'
import {holdPoint} from './hold-point.js'
import {incidentFolder} from './incident-paths.js'
import {createIsolator, IsolationFailed} from './isolation/isolator.js'
import {incidentDir, insertChronologically, JOURNAL_SCHEMA, readJournal, updateJournal, writeJournal} from './journal.js'
import {resolveCollector} from './resolve-collector.js'
import type {NoticeOutcome} from './notice.js'
import type {ScreenNoticeOutcome} from './screen-notice.js'
import type {CollectorEndpoint, IsolationMethod, IsolationPlan, IsolatorOptions, Journal, SavedNetworkState, TimelineEntry} from './types.js'
import {collectorAnswers, type CutVerification, type Reachability, verifyCut} from './verify-cut.js'

export interface DisconnectOptions {
  hostname: string
  keepCollector: boolean
  reason: null | string
  evidenceDir?: string
  lang: Lang
  platform?: Platform
  exec?: Exec
  root?: string
  now?: () => Date
  /** Milliseconds since the process started (performance.now()). */
  elapsed?: () => number
  /** A progress line for the terminal (not called under --json). */
  progress?: (line: string) => void
  /** Budget of each verification probe. */
  probeTimeoutMs?: number
  /** Windows: how long verification waits for restarted adapters (tests shorten it). */
  settle?: IsolatorOptions['settle']
  /** Linux: where logind keeps the users' session buses, for the screen notice (tests point elsewhere). */
  runUserDir?: string
}

export interface DisconnectResult {
  incident_id: string
  isolated_at: string
  /** From process start to isolation in effect. */
  isolation_ms: number
  method: IsolationMethod
  keep_collector: CollectorEndpoint | null
  verification: CutVerification
  evidence_dir: string
  manifest_sha256: null | string
  report_path: null | string
  report_markdown_path: null | string
  notice: NoticeOutcome
  /** The notice shown on this PC's screen, channel by channel. */
  screen_notice: ScreenNoticeOutcome
  total_ms: number
  warnings: string[]
  exit_code: number
}

interface Prepared {
  platform: Platform
  exec: Exec
  root: string
  keep: CollectorEndpoint | null
  /** The enrolled collector's addresses, for verification to show it is blocked (null: unknown). */
  collector: Promise<CollectorEndpoint | null>
}

const entry = (now: () => Date, event: string, params?: TimelineEntry['params']): TimelineEntry => ({at: now().toISOString(), event, ...(params ? {params} : {})})

/** What --dry-run prints: the exact plan, with the collector resolved as the real run would. */
export async function disconnectPlan(options: DisconnectOptions): Promise<{plan: IsolationPlan; keep_collector: CollectorEndpoint | null}> {
  const prepared = await prepare(options, true)
  const isolator = createIsolator(prepared.platform, {exec: prepared.exec, journalDir: incidentDir(prepared.root)})
  // Reading the state needs privileges a dry run may lack; the plan then shows what it can.
  const saved = await isolator.snapshot().catch(() => emptyState(prepared.platform))
  return {keep_collector: prepared.keep, plan: isolator.plan(saved, prepared.keep)}
}

export async function disconnect(options: DisconnectOptions): Promise<DisconnectResult> {
  const now = options.now ?? (() => new Date())
  const elapsed = options.elapsed ?? (() => performance.now())
  const say = options.progress ?? (() => {})
  const tr = (key: MessageKey, params?: Record<string, number | string>): string => t(options.lang, key, params)
  const warnings: string[] = []
  const prepared = await prepare(options, false)
  const {exec, platform, root} = prepared
  const isolator = createIsolator(platform, {exec, journalDir: incidentDir(root), lang: options.lang, settle: options.settle})
  // Windows: whether only administrators can change the state folder, read beside the snapshot (#11 2.1).
  const stateRoot = stateDirProblem(root, {exec, platform})
  stateRoot.catch(() => undefined)

  // 1. The journal, durable before anything changes: reconnect can always put this back.
  const incidentId = randomUUID()
  const startedAt = now().toISOString()
  const saved = await isolator.snapshot()
  // Not awaited before the cut: only verification needs it.
  const gatewayRead = gatewayOf(platform, saved, exec)
  const defaultEvidenceDir = resolve(join(incidentFolder(root, startedAt, incidentId), 'evidence'))
  let evidenceDir = options.evidenceDir ? resolve(options.evidenceDir) : defaultEvidenceDir
  const journal: Journal = {
    evidence_dir: evidenceDir,
    hostname: options.hostname,
    incident_id: incidentId,
    isolated_at: null,
    isolation_ms: null,
    keep_collector: prepared.keep,
    method: null,
    phase: 'journalled',
    platform,
    reason: options.reason,
    report_path: null,
    saved,
    schema: JOURNAL_SCHEMA,
    started_at: startedAt,
    timeline: [entry(now, 'incident.timeline.started', {hostname: options.hostname}), entry(now, 'incident.timeline.journalled')],
  }
  // Said last, after what the cut itself had to say.
  let stateDirWarning: null | string = null
  try {
    // A state folder another account can change holds no journal, as on POSIX (writeJournal's
    // ensureRootDir). One whose ACL could not be read at all (PowerShell missing or blocked) does:
    // the cut matters more, the folder is the one provisioning locked down or this code made.
    const problem = await stateRoot
    if (problem?.reason === 'aclUnchecked') stateDirWarning = tr('incident.stateDirUnchecked', {dir: root, error: problem.error})
    else if (problem) throw unsafeDirError(root, problem, UNSAFE_STATE_FOLDER)
    await writeJournal(journal, root)
  } catch (error) {
    // Without a journal nothing could be restored exactly: nothing is cut, and the person is told
    // to cut by hand (the plan's own fallback) rather than left with a stack trace.
    throw new UserError('incident.journalFailed', {error: errorText(error, tr), path: incidentDir(root)}, EXIT.error)
  }
  // The journal as last written: each phase records itself durably, and later steps read it from here.
  let current = journal
  const record = async (patch: Partial<Journal>, event: TimelineEntry): Promise<void> => {
    current = await updateJournal(patch, event, root)
  }
  say(tr('incident.progress.journalled'))
  await holdPoint('journalled')

  // 2. The cut.
  let isolation: Awaited<ReturnType<typeof isolator.isolate>>
  try {
    isolation = await isolator.isolate(saved, prepared.keep)
  } catch (error) {
    // The journal stays: status shows the open incident and reconnect removes whatever half-applied.
    const reasons = error instanceof IsolationFailed ? error.reasons.join('; ') : (error as Error).message
    await record({}, entry(now, 'incident.timeline.isolationFailed', {error: reasons}))
    throw new UserError('incident.isolationFailed', {error: reasons}, EXIT.error)
  }
  const isolationMs = Math.round(elapsed())
  const isolatedAt = now().toISOString()
  warnings.push(...isolation.warnings)
  await record({isolated_at: isolatedAt, isolation_ms: isolationMs, method: isolation.method, phase: 'isolated'}, entry(now, 'incident.timeline.isolated', {method: isolation.method, ms: isolationMs}))
  say(tr('incident.progress.isolated', {method: isolation.method, ms: isolationMs}))
  await holdPoint('isolated')

  // --keep-collector cannot hold through a method that takes the links down: say so (the isolator
  // warned) and record full isolation, so verification expects the collector blocked too.
  let keep = prepared.keep
  if (keep && isolation.full) {
    keep = null
    await record({keep_collector: null}, entry(now, 'incident.timeline.keepImpossible', {method: isolation.method}))
  }

  // 3. Verification: the gateway and the collector must be unreachable, unless the collector is kept.
  // NMG_PROBE_TIMEOUT_MS: slow links (and tests) may change how long one probe waits.
  const probeTimeoutMs = options.probeTimeoutMs ?? (Number(process.env.NMG_PROBE_TIMEOUT_MS) || undefined)
  const gateway = await gatewayRead
  const probe = async (kept: CollectorEndpoint | null): Promise<CutVerification> => {
    if (!kept) return verifyCut({gateway, keep: await prepared.collector, timeoutMs: probeTimeoutMs})
    const [cut, answers] = await Promise.all([verifyCut({gateway, keep: null, timeoutMs: probeTimeoutMs}), answersWithin(kept, probeTimeoutMs, root)])
    return {...cut, collector: answers ? 'reachable' : 'blocked'}
  }
  const verify = async (kept: CollectorEndpoint | null, method: IsolationMethod): Promise<CutVerification> => {
    // Windows first looks at its adapters: a probe through a link still coming back up would fail
    // as if blocked, and adapters switched off are verified by staying off, not by probing.
    const local = isolator.verifyLocal ? await isolator.verifyLocal(saved, method) : undefined
    if (local?.state === 'held' || local?.state === 'not-ready') {
      const seen: Reachability = local.state === 'held' ? 'blocked' : 'unproven'
      const collector = kept ?? (await prepared.collector)
      return {collector: collector ? seen : 'none', gateway: gateway ? seen : 'none', local}
    }
    const probed = await probe(kept)
    // Bridged frames pass no probe's path: the isolator reads what the bridges can still forward.
    const bridged = (await isolator.verifyBridges?.()) ?? undefined
    return {...probed, ...(local ? {local} : {}), ...(bridged ? {bridged} : {})}
  }
  let verification = await verify(keep, isolation.method)
  if (keep && verification.collector !== 'reachable') {
    // Velociraptor's rule: never leave a half-open cut; fall back to full isolation and say so.
    warnings.push(tr('incident.keepFailed', {url: keep.url}))
    keep = null
    isolation = await isolator.isolate(saved, null)
    warnings.push(...isolation.warnings)
    await record({keep_collector: null, method: isolation.method}, entry(now, 'incident.timeline.keepFailed', {url: prepared.keep?.url ?? ''}))
    verification = await verify(null, isolation.method)
  }
  const leaks = leaksOf(verification, keep !== null)
  const local = verification.local
  const unproven = local?.state === 'not-ready' ? local.adapters : null
  const reopened = local?.state === 'reopened' ? local.adapters : null
  if (leaks.length > 0) warnings.push(tr('incident.cutLeaks', {what: leaks.join(', ')}))
  if (unproven) warnings.push(tr(isolation.method === 'adapters-disabled' ? 'incident.cutUnreadable' : 'incident.cutUnproven', {adapters: unproven.join(', ')}))
  if (reopened) warnings.push(tr('incident.cutReopened', {adapters: reopened.join(', ')}))
  const failed = leaks.length > 0 || unproven !== null || reopened !== null
  await record({phase: 'verified'}, entry(now, failed ? 'incident.timeline.verifyFailed' : 'incident.timeline.verified', {gateway: verification.gateway, collector: verification.collector}))
  say(progressLine(tr, verification, leaks))

  // The person at the PC is told now, in Chinese, whom to call. Not awaited here: the policy read and
  // the session lookups run beside the evidence collection, bounded; the outcome is recorded below.
  const screen = import('./screen-notice.js')
    .then(({startScreenNotice}) => startScreenNotice({exec, isolatedAt: new Date(isolatedAt), lang: 'zh-CN', now, platform, root, runUserDir: options.runUserDir}))
    .catch((error: Error): ScreenNoticeOutcome => ({at: now().toISOString(), channels: [{channel: '-', error: error.message, status: 'failed'}], shown: false}))

  // 4. Evidence (never fatal per item; a failure of the whole step is recorded and the flow goes on).
  let manifestSha256: null | string = null
  // Root writes the evidence: a --evidence-dir a user owns or can write (or a link) is refused now,
  // after the cut, which it must never hold up; the evidence goes to the default folder instead (#11 2.1).
  // Windows: the same by its ACL, and a folder whose ACL could not be read is refused too.
  if (evidenceDir !== defaultEvidenceDir) {
    try {
      await ensureAdminDir(evidenceDir, {exec, platform})
    } catch (error) {
      if (!(error instanceof UserError) || !['os.unsafeFolder', 'os.unsafeFolderAdmin'].includes(error.key) || !error.detail) throw error
      const params = {detail: tr(error.detail.key, error.detail.params), dir: evidenceDir, fallback: defaultEvidenceDir}
      warnings.push(tr(error.key === 'os.unsafeFolderAdmin' ? 'incident.evidenceDirUnsafeAdmin' : 'incident.evidenceDirUnsafe', params))
      evidenceDir = defaultEvidenceDir
      await record({evidence_dir: evidenceDir}, entry(now, 'incident.timeline.evidenceDirUnsafe', params))
    }
  }
  try {
    const {collectIncidentEvidence} = await import('./collect-incident-evidence.js')
    const collected = await collectIncidentEvidence({dir: evidenceDir, exec, hostname: options.hostname, incidentId, now, platform, root})
    manifestSha256 = collected.manifestSha256
    const failed = collected.manifest.items.filter((item) => item.status === 'failed').length
    await record({phase: 'evidence'}, entry(now, 'incident.timeline.evidence', {dir: evidenceDir, failed, files: collected.manifest.files.length}))
    say(tr('incident.progress.evidence', {dir: evidenceDir, failed, files: collected.manifest.files.length}))
  } catch (error) {
    const message = errorText(error, tr)
    warnings.push(tr('incident.evidenceFailed', {error: message}))
    await record({}, entry(now, 'incident.timeline.evidenceFailed', {error: message}))
  }

  // The screen notice's outcome, in the timeline where it happened (before the evidence finished).
  const screenNotice = await screen
  const shownEvent = screenNotice.shown ? 'shown' : screenNotice.channels.some((c) => c.status === 'failed') ? 'failed' : 'none'
  const {channelsText} = await import('./screen-notice.js')
  const shownEntry: TimelineEntry = {at: screenNotice.at, event: `incident.timeline.screenNotice.${shownEvent}`, params: {channels: channelsText(screenNotice.channels)}}
  current = await updateJournal({timeline: insertChronologically(current.timeline, shownEntry)}, undefined, root)
  const unshown = screenNotice.channels.filter((c) => c.status === 'failed')
  // Never fatal: the cut and the evidence stand whether or not a screen could be reached.
  if (unshown.length > 0) warnings.push(tr('incident.screenNoticeFailed', {channels: channelsText(unshown)}))
  say(tr(`incident.progress.screenNotice.${shownEvent}`))

  // 5. The report draft for 网信 and 公安.
  let reportPath: null | string = null
  let markdownPath: null | string = null
  try {
    const {writeIncidentDraft} = await import('./write-draft.js')
    const written = await writeIncidentDraft({lang: 'zh-CN', now: now(), root})
    reportPath = written.html
    markdownPath = written.markdown
    await record({phase: 'drafted', report_path: reportPath}, entry(now, 'incident.timeline.drafted', {path: reportPath}))
    say(tr('incident.progress.drafted', {path: reportPath}))
  } catch (error) {
    warnings.push(tr('incident.draftFailed', {error: (error as Error).message}))
  }

  // 6. The notice for the collector: queued first; sent now only if the collector was kept.
  const {queueIncidentNotice} = await import('./notice.js')
  const notice = await queueIncidentNotice({
    event: 'isolated',
    flush: keep !== null,
    journal: current,
    manifestSha256,
    now,
    root,
  })
  warnings.push(...notice.warnings.map((w) => tr(w.key, w.params)))
  if (stateDirWarning) warnings.push(stateDirWarning)
  await record({phase: 'done'}, entry(now, `incident.timeline.notice.${notice.outcome}`))
  say(tr(`incident.progress.notice.${notice.outcome}`))

  return {
    evidence_dir: evidenceDir,
    exit_code: failed ? EXIT.error : EXIT.ok,
    incident_id: incidentId,
    isolated_at: isolatedAt,
    isolation_ms: isolationMs,
    keep_collector: current.keep_collector,
    manifest_sha256: manifestSha256,
    method: current.method ?? isolation.method,
    notice: notice.outcome,
    report_markdown_path: markdownPath,
    screen_notice: screenNotice,
    report_path: reportPath,
    total_ms: Math.round(elapsed()),
    verification,
    warnings,
  }
}

/** A link that was just bounced (Windows) needs a moment for its address: the kept collector gets a few tries. */
export const KEEP_ANSWER_WINDOW_MS = 5000

async function answersWithin(kept: CollectorEndpoint, probeTimeoutMs: number | undefined, root: string, windowMs = KEEP_ANSWER_WINDOW_MS): Promise<boolean> {
  const until = Date.now() + windowMs
  for (;;) {
    if (await collectorAnswers(kept, probeTimeoutMs, root)) return true
    if (Date.now() >= until) return false
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** The verification step's line for the person at the PC. */
function progressLine(tr: (key: MessageKey, params?: Record<string, number | string>) => string, verification: CutVerification, leaks: string[]): string {
  const local = verification.local
  if (local?.state === 'not-ready') return tr('incident.progress.verifyUnproven', {adapters: local.adapters.join(', ')})
  if (local?.state === 'reopened') return tr('incident.progress.verifyReopened', {adapters: local.adapters.join(', ')})
  if (leaks.length > 0) return tr('incident.progress.verifyFailed', {what: leaks.join(', ')})
  if (local?.state === 'held') return tr('incident.progress.verifiedAdapters', {adapters: local.adapters.join(', ')})
  return tr('incident.progress.verified')
}

/** What still passes after the cut: the gateway always counts; the collector unless it was kept. */
function leaksOf(verification: CutVerification, keeping: boolean): string[] {
  const leaks: string[] = []
  if (verification.gateway === 'reachable') leaks.push('gateway')
  if (!keeping && verification.collector === 'reachable') leaks.push('collector')
  if (verification.bridged && verification.bridged.state !== 'blocked') leaks.push(`bridge ${verification.bridged.bridges.join(' ') || '?'}`)
  return leaks
}

async function prepare(options: DisconnectOptions, dryRun: boolean): Promise<Prepared> {
  const platform = options.platform ?? currentPlatform()
  const exec = withToolPaths(options.exec ?? realExec, platform)
  const root = options.root ?? stateDir()
  if (!dryRun) {
    if (!(await isAdmin(platform, exec))) throw new UserError('incident.needAdmin', {}, EXIT.error)
    const open = await readJournal(root)
    if (open) throw new UserError('incident.alreadyOpen', {since: open.isolated_at ?? open.started_at, id: open.incident_id}, EXIT.error)
    if (options.evidenceDir) await requireEmptyDir(options.evidenceDir)
  }
  const enrollment = await loadEnrollment(agentPaths(root))
  if (options.keepCollector && !enrollment) throw new UserError('incident.keepNotEnrolled', {}, EXIT.usage)
  // Keeping the collector needs its addresses before the cut. Merely showing afterwards that it is
  // blocked does not: that lookup runs beside the snapshot and never holds the cut up.
  const keep = options.keepCollector && enrollment ? await resolveCollector(enrollment.url) : null
  const collector = keep ? Promise.resolve(keep) : enrollment && !dryRun ? resolveCollector(enrollment.url).catch(() => null) : Promise.resolve(null)
  return {collector, exec, keep, platform, root}
}

/** A UserError translated (with its detail), else the error's message. */
function errorText(error: unknown, tr: (key: MessageKey, params?: Record<string, number | string>) => string): string {
  if (!(error instanceof UserError)) return (error as Error).message
  return tr(error.key, {...error.params, detail: error.detail ? tr(error.detail.key, error.detail.params) : ''})
}

/** Only checked before the cut; the folder is made (and checked for root) after it, in step 4. */
async function requireEmptyDir(dir: string): Promise<void> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  if (names.length > 0) throw new UserError('incident.evidenceDirNotEmpty', {dir}, EXIT.usage)
}

function emptyState(platform: Platform): SavedNetworkState {
  return {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform, routes: []}
}
