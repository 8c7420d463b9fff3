// One folder per incident under state/incident/: the evidence (unless --evidence-dir) and the
// report draft next to it, outside the evidence, so re-rendering the draft never breaks the manifest.
import {join} from 'node:path'

import {incidentDir, journalStamp} from './journal.js'
import type {Journal} from './types.js'

export const incidentFolder = (root: string, startedAt: string, incidentId: string): string => join(incidentDir(root), `${journalStamp(startedAt)}-${incidentId}`)

export function draftPaths(root: string, journal: Pick<Journal, 'incident_id' | 'started_at'>): {html: string; markdown: string} {
  const folder = incidentFolder(root, journal.started_at, journal.incident_id)
  return {html: join(folder, 'incident-report.html'), markdown: join(folder, 'incident-report.md')}
}
