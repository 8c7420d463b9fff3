// A recording (`facts --record DIR`): one file per program run, holding the bytes it printed, and
// manifest.json naming each run. It is what an operator sends when a parser fails on their PC, and
// what `--replay` parses again on any OS. It holds no secret and no scanned file's content: only
// tool output (files that collectors read themselves, like the keychain's metadata store or a
// scanned document, are never in it).
import {createHash} from 'node:crypto'

import {toolName} from '../../os/tools.js'
import {PLATFORMS, type Platform} from '../../os/types.js'

export const RECORDING_SCHEMA = 'nm-guard/recording@1'
export const MANIFEST_FILE = 'manifest.json'
/** A manifest is small: hundreds of entries at most. */
export const MAX_MANIFEST_BYTES = 1024 * 1024
/** One tool's output, as the live exec accepts it. */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024
const MAX_ENTRIES = 2000

export interface RecordedRun {
  /** The file stem: `<key>.out` holds stdout, `<key>.err` stderr when there was any. */
  key: string
  /** The program's bare name and its arguments (never stdin, which may carry a script). */
  command: string[]
  exit_code: null | number
  ms: number
  /** Set when the program could not be run at all (missing, timed out): then there is no .out. */
  error?: {kind: string; message: string}
}

export interface RecordingManifest {
  schema: typeof RECORDING_SCHEMA
  nm_guard_version: string
  platform: Platform
  os_name: null | string
  os_version: null | string
  hostname: string
  arch: string
  collected_at: string
  runs: RecordedRun[]
}

const KEY = /^[a-z0-9][a-z0-9.-]{0,119}$/

/**
 * A stable, readable file stem for a run: `netsh-wlan-show-interfaces`, `powershell-batch`.
 * Long command lines keep their start and gain a short hash, so two never collide.
 */
export function runKey(file: string, args: readonly string[], recordAs?: string): string {
  const words = recordAs ? [recordAs] : [toolName(file), ...args]
  const slug = words
    .join('-')
    .toLowerCase()
    .replaceAll(/[^a-z0-9.]+/g, '-')
    .replaceAll(/^[-.]+|-+$/g, '')
  if (slug.length <= 80) return slug || 'run'
  const hash = createHash('sha256').update(words.join('\0')).digest('hex').slice(0, 8)
  return `${slug.slice(0, 71).replace(/-+$/, '')}-${hash}`
}

/** The n-th run of the same command gets `-2`, `-3`…: replay asks in the same order. */
export function numberedKey(key: string, seen: Map<string, number>): string {
  const n = (seen.get(key) ?? 0) + 1
  seen.set(key, n)
  return n === 1 ? key : `${key}-${n}`
}

/** Checks a manifest read from disk: bounded, well-formed, keys that are plain file names. */
export function checkManifest(data: unknown): RecordingManifest {
  const fail = (why: string): never => {
    throw new Error(why)
  }
  const d = data as Partial<RecordingManifest> | null
  if (!d || typeof d !== 'object') fail('not a JSON object')
  const m = d as Partial<RecordingManifest>
  if (m.schema !== RECORDING_SCHEMA) fail(`schema is ${JSON.stringify(m.schema ?? null)}, expected "${RECORDING_SCHEMA}"`)
  if (!PLATFORMS.includes(m.platform as Platform)) fail('platform missing or unknown')
  if (typeof m.collected_at !== 'string' || Number.isNaN(Date.parse(m.collected_at))) fail('collected_at missing or not a date')
  if (typeof m.hostname !== 'string' || m.hostname.length > 255) fail('hostname missing')
  if (!Array.isArray(m.runs) || m.runs.length > MAX_ENTRIES) fail('runs missing or too many')
  for (const run of m.runs as unknown[]) {
    const r = run as Partial<RecordedRun>
    if (!r || typeof r.key !== 'string' || !KEY.test(r.key)) fail(`a run has a bad key: ${JSON.stringify(r?.key ?? null).slice(0, 80)}`)
    if (!Array.isArray(r.command) || !r.command.every((w) => typeof w === 'string')) fail(`run ${r.key} has no command`)
  }
  return m as RecordingManifest
}
