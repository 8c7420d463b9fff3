// Collects the evidence after the cut: every item of the platform runs under its own timeout, a
// few at a time; an item that fails, times out or lacks its tool is recorded and never stops the
// rest. Then every file is hashed into manifest.json, which is signed.
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {UserError} from '../../cli/user-error.js'
import {stateDir as defaultStateDir} from '../../config/state-dir.js'
import {FactError} from '../../os/fact-error.js'
import {ensureRootDir, mkdirNoFollow, writeNewFile} from '../../os/safe-dir.js'
import type {Exec, Platform} from '../../facts/types.js'
import type {EvidenceItemResult, EvidenceManifest} from '../types.js'
import {type EvidenceContext, type EvidenceItem, EvidenceItemError} from './item.js'
import {DARWIN_ITEMS} from './items.darwin.js'
import {LINUX_ITEMS} from './items.linux.js'
import {WIN32_ITEMS} from './items.win32.js'
import {MANIFEST_FILE, writeSignedManifest} from './manifest.js'
import type {Signer} from './signer.js'

export const DEFAULT_ITEM_TIMEOUT_MS = 5000
export const DEFAULT_CONCURRENCY = 4

export interface CollectEvidenceOptions {
  dir: string
  platform: Platform
  exec: Exec
  incidentId: string
  hostname: string
  signer: Signer
  /** Every item's budget; when absent each item's own (`timeoutMs`), else 5 s. */
  itemTimeoutMs?: number
  now?: () => Date
  /** Where the last audit report is (default: the state dir). */
  stateDir?: string
  /** The items to run (default: the platform's list). */
  items?: readonly EvidenceItem[]
  /** How many items run at once (default 4). */
  concurrency?: number
}

export interface CollectedEvidence {
  manifest: EvidenceManifest
  manifestPath: string
  manifestSha256: string
}

export const evidenceItems = (platform: Platform): readonly EvidenceItem[] =>
  platform === 'win32' ? WIN32_ITEMS : platform === 'darwin' ? DARWIN_ITEMS : LINUX_ITEMS

const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.@+-]+(?:\/[\w.@+-]+)*$/

function describe(error: unknown): string {
  if (error instanceof FactError || error instanceof EvidenceItemError) return error.message
  return `unexpected: ${(error as Error)?.message ?? String(error)}`
}

/**
 * Each folder of `relative` made below `dir` without following a link, then the file created new
 * (O_EXCL|O_NOFOLLOW): nothing planted in the folder is written through.
 */
async function writeEvidenceFile(dir: string, relative: string, data: Buffer | string): Promise<void> {
  const parts = relative.split('/')
  let folder = dir
  for (const part of parts.slice(0, -1)) {
    folder = join(folder, part)
    mkdirNoFollow(folder)
  }
  await writeNewFile(join(dir, relative), data, 0o600)
}

async function runItem(item: EvidenceItem, shared: Omit<EvidenceContext, 'timeoutMs' | 'write'>, dir: string, pending: Set<Promise<void>>, forced?: number): Promise<EvidenceItemResult> {
  const base = {...shared, timeoutMs: forced ?? item.timeoutMs ?? DEFAULT_ITEM_TIMEOUT_MS}
  const files = new Set<string>()
  let closed = false
  const write = (relative: string, data: Buffer | string): Promise<void> => {
    // After its timeout an item may still be running; what it writes then would land after the
    // manifest, so it is refused.
    if (closed) return Promise.reject(new EvidenceItemError(`${item.name} wrote after its timeout`))
    if (!SAFE_PATH.test(relative) || relative === MANIFEST_FILE) return Promise.reject(new EvidenceItemError(`bad evidence path ${relative}`))
    files.add(relative)
    const done = writeEvidenceFile(dir, relative, data)
    pending.add(done)
    done.finally(() => pending.delete(done)).catch(() => {})
    return done
  }
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EvidenceItemError(`timed out after ${base.timeoutMs} ms`)), base.timeoutMs)
    })
    await Promise.race([item.run({...base, write}), timeout])
    return {files: [...files].sort(), ms: Date.now() - started, name: item.name, status: 'ok'}
  } catch (error) {
    return {error: describe(error), files: [...files].sort(), ms: Date.now() - started, name: item.name, status: 'failed'}
  } finally {
    closed = true
    clearTimeout(timer)
  }
}

export async function collectEvidence(options: CollectEvidenceOptions): Promise<CollectedEvidence> {
  const now = options.now ?? (() => new Date())
  const createdAt = now().toISOString()
  // Root writes here: a folder a user owns or can write (or a link) is refused (#11 2.1).
  ensureRootDir(options.dir, 0o700)
  // Evidence is never overwritten: a second run into the same folder would mix two moments.
  const existing = await stat(join(options.dir, MANIFEST_FILE)).catch(() => null)
  if (existing) throw new UserError('incident.evidenceDirUsed', {dir: options.dir, file: MANIFEST_FILE})

  const items = options.items ?? evidenceItems(options.platform)
  // Each item's budget is set per item in runItem (the caller's for all, else the item's own).
  const base: Omit<EvidenceContext, 'timeoutMs' | 'write'> = {
    exec: options.exec,
    now,
    platform: options.platform,
    stateDir: options.stateDir ?? defaultStateDir(),
  }
  const pending = new Set<Promise<void>>()
  const results: EvidenceItemResult[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await runItem(items[index] as EvidenceItem, base, options.dir, pending, options.itemTimeoutMs)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, items.length))}, worker))
  // Writes begun before a timeout still finish; the manifest must see their final bytes.
  await Promise.allSettled([...pending])
  return writeSignedManifest(options.dir, {created_at: createdAt, hostname: options.hostname, incident_id: options.incidentId, items: results}, options.signer)
}
