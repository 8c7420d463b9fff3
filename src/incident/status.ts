// `nm-guard incident status`: is this PC cut off now, since when, by what, and where the evidence
// and the report draft are; or, when not, which incident was the last one. With an incident open it
// also says whether the cut survives a restart: on Linux whether the boot unit that re-applies it is
// enabled, on Windows whether what the cut set (firewall policy, rules, disabled adapters) still is so.
import {stateDir} from '../config/state-dir.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import type {Exec, Platform} from '../facts/types.js'
import type {BootUnitState} from './boot-unit.js'
import {readBootUnit} from './boot-unit.linux.js'
import type {CutHold} from './cut-hold.js'
import {windowsCutHold} from './cut-hold.win32.js'
import {createIsolator} from './isolation/isolator.js'
import {incidentDir, lastArchived, readJournal} from './journal.js'
import type {CollectorEndpoint, IsolationMethod, Journal, JournalPhase} from './types.js'

export interface IncidentStatus {
  platform: Platform
  /** An incident is open (its journal exists): reconnect has something to restore. */
  open: boolean
  /** nm-guard's isolation is in effect now; null when that cannot be read (no privileges). */
  isolated: boolean | null
  incident_id: null | string
  since: null | string
  method: IsolationMethod | null
  phase: JournalPhase | null
  keep_collector: CollectorEndpoint | null
  reason: null | string
  evidence_dir: null | string
  report_path: null | string
  /** Windows, incident open: the journalled cut compared with what the PC shows now (null elsewhere). */
  hold: CutHold | null
  /** Linux, incident open: the unit that re-applies the cut at boot, as systemctl says (null elsewhere). */
  boot_unit: BootUnitState | null
  last: null | {incident_id: string; started_at: string; closed_at: null | string; evidence_dir: string; report_path: null | string}
}

export async function incidentStatus(options: {root?: string; exec?: Exec; platform?: Platform} = {}): Promise<IncidentStatus> {
  const root = options.root ?? stateDir()
  const platform = options.platform ?? currentPlatform()
  const exec = withToolPaths(options.exec ?? realExec, platform)
  const isolator = createIsolator(platform, {exec, journalDir: incidentDir(root)})
  const journal = await readJournal(root)
  const [isolated, hold, bootUnit] = await Promise.all([isolator.isIsolated().catch(() => null), holdOf(journal, platform, exec, root), journal && platform === 'linux' ? readBootUnit(exec) : null])
  const archived = journal ? null : await lastArchived(root)
  const last = archived
    ? {
        closed_at: archived.journal.timeline.findLast((e) => e.event === 'incident.timeline.reconnected')?.at ?? null,
        evidence_dir: archived.journal.evidence_dir,
        incident_id: archived.journal.incident_id,
        report_path: archived.journal.report_path,
        started_at: archived.journal.started_at,
      }
    : null
  return {
    boot_unit: bootUnit,
    evidence_dir: journal?.evidence_dir ?? null,
    hold,
    incident_id: journal?.incident_id ?? null,
    isolated,
    keep_collector: journal?.keep_collector ?? null,
    last,
    method: journal?.method ?? null,
    open: journal !== null,
    phase: journal?.phase ?? null,
    platform,
    reason: journal?.reason ?? null,
    report_path: journal?.report_path ?? null,
    since: journal?.isolated_at ?? null,
  }
}

/** Windows keeps its cut across a restart by itself: checked against the journal, never assumed. */
async function holdOf(journal: Journal | null, platform: Platform, exec: Exec, root: string): Promise<CutHold | null> {
  if (!journal || platform !== 'win32') return null
  return windowsCutHold(journal, exec, incidentDir(root)).catch((error: Error) => ({changes: [], state: 'unknown' as const, unread: [error.message]}))
}
