// The crash-safe incident journal (state/incident/journal.json): written and fsynced before anything
// is cut, updated after each phase, archived under history/ once reconnect has restored the network.
import {readdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic, syncDir} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import {UserError} from '../cli/user-error.js'
import {stateDir} from '../config/state-dir.js'
import type {Journal, TimelineEntry} from './types.js'

export const JOURNAL_SCHEMA = 'nm-guard/incident-journal@1'

export const incidentDir = (root: string = stateDir()): string => join(root, 'incident')
export const journalPath = (root: string = stateDir()): string => join(incidentDir(root), 'journal.json')
export const historyDir = (root: string = stateDir()): string => join(incidentDir(root), 'history')

/**
 * The journal lists firewall rules and routes: owner-only, like the agent key. The folder (and the
 * state dir above it) is made without following a link and, for root, must be root's alone (#11 2.1).
 */
async function ensureDir(dir: string): Promise<void> {
  ensureRootDir(dir, 0o700)
}

export async function writeJournal(journal: Journal, root: string = stateDir()): Promise<string> {
  const file = journalPath(root)
  await ensureDir(incidentDir(root))
  await writeFileAtomic(file, `${JSON.stringify(journal, null, 2)}\n`, 0o600)
  return file
}

/** Parses journal text; a damaged journal is an error naming the file, never silently dropped. */
export function parseJournal(text: string, file: string): Journal {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UserError('incident.journalCorrupt', {error: (error as Error).message, path: file})
  }
  const journal = value as Partial<Journal> | null
  if (!journal || typeof journal !== 'object' || journal.schema !== JOURNAL_SCHEMA || typeof journal.incident_id !== 'string' || !journal.saved) {
    throw new UserError('incident.journalCorrupt', {error: `not an ${JOURNAL_SCHEMA} document`, path: file})
  }
  return journal as Journal
}

/** The open incident's journal, or null when there is none. */
export async function readJournal(root: string = stateDir()): Promise<Journal | null> {
  const file = journalPath(root)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  return parseJournal(text, file)
}

/** Merges `patch` into the open journal (and appends a timeline entry), durably; returns the result. */
export async function updateJournal(patch: Partial<Journal>, timelineEntry?: TimelineEntry, root: string = stateDir()): Promise<Journal> {
  const current = await readJournal(root)
  if (!current) throw new UserError('incident.noJournal', {path: journalPath(root)})
  const next: Journal = {...current, ...patch, timeline: [...(patch.timeline ?? current.timeline), ...(timelineEntry ? [timelineEntry] : [])]}
  await writeJournal(next, root)
  return next
}

/** The timeline with `entry` placed after every entry not later than it (ISO times sort as text). */
export function insertChronologically(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const after = timeline.findLastIndex((e) => e.at <= entry.at)
  return [...timeline.slice(0, after + 1), entry, ...timeline.slice(after + 1)]
}

/** started_at as a sortable file-name stamp: 2026-11-27T08:00:00.123Z → 20261127T080000123Z. */
export const journalStamp = (startedAt: string): string => startedAt.replaceAll(/[-:.]/g, '')

/** Moves the journal to history/<stamp>-<incident_id>.json (written first, then the open one removed). */
export async function archiveJournal(journal: Journal, root: string = stateDir()): Promise<string> {
  if (!/^[\w-]+$/.test(journal.incident_id)) throw new UserError('incident.journalCorrupt', {error: 'bad incident_id', path: journalPath(root)})
  const dir = historyDir(root)
  await ensureDir(dir)
  const target = join(dir, `${journalStamp(journal.started_at)}-${journal.incident_id}.json`)
  await writeFileAtomic(target, `${JSON.stringify(journal, null, 2)}\n`, 0o600)
  await rm(journalPath(root), {force: true})
  await syncDir(incidentDir(root))
  return target
}

/** The most recently started archived incident, or null when none was ever archived. */
export async function lastArchived(root: string = stateDir()): Promise<{journal: Journal; path: string} | null> {
  let names: string[]
  try {
    names = await readdir(historyDir(root))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  // The stamp prefix sorts by start time; temp files of an interrupted write start with a dot.
  const latest = names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort().at(-1)
  if (!latest) return null
  const path = join(historyDir(root), latest)
  return {journal: parseJournal(await readFile(path, 'utf8'), path), path}
}
