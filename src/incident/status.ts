// `nm-guard incident status`: is this PC cut off now, since when, by what, and where the evidence
// and the report draft are; or, when not, which incident was the last one.
import {stateDir} from '../config/state-dir.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import type {Exec, Platform} from '../facts/types.js'
import {createIsolator} from './isolation/isolator.js'
import {incidentDir, lastArchived, readJournal} from './journal.js'
import type {CollectorEndpoint, IsolationMethod, JournalPhase} from './types.js'

export interface IncidentStatus {
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
  last: null | {incident_id: string; started_at: string; closed_at: null | string; evidence_dir: string; report_path: null | string}
}

export async function incidentStatus(options: {root?: string; exec?: Exec; platform?: Platform} = {}): Promise<IncidentStatus> {
  const root = options.root ?? stateDir()
  const platform = options.platform ?? currentPlatform()
  const isolator = createIsolator(platform, {exec: withToolPaths(options.exec ?? realExec, platform), journalDir: incidentDir(root)})
  const isolated = await isolator.isIsolated().catch(() => null)
  const journal = await readJournal(root)
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
    evidence_dir: journal?.evidence_dir ?? null,
    incident_id: journal?.incident_id ?? null,
    isolated,
    keep_collector: journal?.keep_collector ?? null,
    last,
    method: journal?.method ?? null,
    open: journal !== null,
    phase: journal?.phase ?? null,
    reason: journal?.reason ?? null,
    report_path: journal?.report_path ?? null,
    since: journal?.isolated_at ?? null,
  }
}
