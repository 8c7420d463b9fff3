// Reads a saved snapshot for `audit --facts FILE`: the raw facts@1 document, or the JSON envelope
// `nm-guard facts --json` prints. Anything else is refused with a clear reason.
import {readFile} from 'node:fs/promises'

import {UserError} from '../cli/user-error.js'
import {type FactsSnapshot, PLATFORMS, type Platform} from './types.js'

export async function loadFacts(file: string): Promise<FactsSnapshot> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError('file.unreadable', {file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UserError('facts.badJson', {file, reason: (error as Error).message})
  }
  return checkFacts(unwrap(data), file)
}

function unwrap(data: unknown): unknown {
  const d = data as {result?: unknown; status?: unknown}
  return d && typeof d === 'object' && 'status' in d && 'result' in d ? d.result : data
}

export function checkFacts(data: unknown, file: string): FactsSnapshot {
  const d = data as Partial<FactsSnapshot> | null
  const bad = (reason: string): UserError => new UserError('facts.badSchema', {file, reason})
  if (!d || typeof d !== 'object') throw bad('not a JSON object')
  if (d.schema !== 'nm-guard/facts@1') throw bad(`schema is ${JSON.stringify(d.schema ?? null)}, expected "nm-guard/facts@1"`)
  if (!d.host || typeof d.host.hostname !== 'string' || !PLATFORMS.includes(d.host.platform as Platform)) throw bad('host.hostname / host.platform missing or invalid')
  if (!d.tables || typeof d.tables !== 'object') throw bad('tables missing')
  for (const [name, table] of Object.entries(d.tables)) {
    const ok = table && typeof table === 'object' && (Array.isArray((table as {rows?: unknown}).rows) || typeof (table as {error?: unknown}).error === 'string')
    if (!ok) throw bad(`table ${name} has neither rows[] nor error`)
  }
  return d as FactsSnapshot
}
