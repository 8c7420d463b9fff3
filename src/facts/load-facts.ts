// Reads a saved snapshot for `audit --facts FILE`: the raw facts@1 document, or the JSON envelope
// `nm-guard facts --json` prints. Anything else is refused with a clear reason.
import {readFile} from 'node:fs/promises'

import {UserError} from '../cli/user-error.js'
import {hasMessage, type LocalText, type MessageKey} from '../i18n/messages.js'
import {FACT_ERROR_KINDS, type FactErrorKind} from '../os/fact-error.js'
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
    if ('error' in table) d.tables[name] = plainReasonOnly(table)
  }
  return d as FactsSnapshot
}

/**
 * A saved snapshot's plain-words reason is kept only when it names a catalogue message with plain
 * values; anything else (another version's key, a hand-edited file) falls back to the kind.
 */
function plainReasonOnly(table: {error: string; kind?: unknown; text?: unknown}): {error: string; kind?: FactErrorKind; text?: LocalText} {
  const kind = FACT_ERROR_KINDS.find((k) => k === table.kind)
  const text = table.text as Partial<LocalText> | undefined
  const params = text?.params
  const plain =
    typeof text?.key === 'string' &&
    hasMessage(text.key) &&
    typeof params === 'object' &&
    params !== null &&
    Object.values(params).every((v) => typeof v === 'number' || (typeof v === 'string' && v.length <= 500))
  return {error: table.error, ...(kind ? {kind} : {}), ...(plain ? {text: {key: text.key as MessageKey, params}} : {})}
}
