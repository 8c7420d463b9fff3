// Gathers tables concurrently, each under its own timeout. A table that fails is recorded with
// the reason (never as an empty table), so a check depending on it reports `error`, not `pass`.
import {arch, hostname, release, type} from 'node:os'

import {stateDir as defaultStateDir} from '../config/state-dir.js'
import {FactError} from '../os/fact-error.js'
import {isAdmin as detectAdmin} from '../os/is-admin.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import {cachedFact} from './fact-cache.js'
import {createPowerShellBatch} from './powershell-batch.js'
import {type TableEntry, TABLES} from './registry.js'
import type {CollectContext, FactsSnapshot, HostInfo, Platform, Row, TableCollector, TableResult} from './types.js'

const DEFAULT_TABLE_TIMEOUT_MS = 15_000
const WIN32_TABLE_TIMEOUT_MS = 60_000

export interface GatherOptions {
  /** Only these tables (default: all). */
  tables?: string[]
  platform?: Platform
  /** Overrides for the collectors' seams (tests swap exec). */
  context?: Partial<CollectContext>
  /** The recorded PC's host fields, when replaying a recording. */
  host?: Partial<HostInfo>
}

export function makeContext(platform: Platform, overrides: Partial<CollectContext> = {}): CollectContext {
  // Whatever exec the caller brings (tests bring recorders), what it is asked to run is a system path.
  const exec = withToolPaths(overrides.exec ?? realExec, platform)
  const dir = overrides.stateDir ?? defaultStateDir()
  let admin: Promise<boolean> | undefined
  const base: CollectContext = {
    cached: (key, fingerprint, compute) => cachedFact(dir, key, fingerprint, compute),
    env: process.env,
    exec,
    isAdmin: () => (admin ??= detectAdmin(platform, exec)),
    now: () => new Date(),
    platform,
    powershell: createPowerShellBatch(exec),
    stateDir: dir,
  }
  return {...base, ...overrides, exec}
}

export async function gatherFacts(options: GatherOptions = {}): Promise<FactsSnapshot> {
  const platform = options.platform ?? currentPlatform()
  const ctx = makeContext(platform, options.context)
  const wanted = options.tables ? TABLES.filter((t) => options.tables?.includes(t.spec.name)) : TABLES
  const started = ctx.now()
  // Load every collector first, so all of them start in one tick: on Windows that puts all their
  // PowerShell fragments into the one batch instead of one powershell.exe per import finishing.
  const loaded = await Promise.all(wanted.map((entry) => loadCollector(entry, ctx.platform)))
  const results = await Promise.all(wanted.map((entry, i) => gatherTable(entry, ctx, loaded[i])))
  const tables: Record<string, TableResult> = {}
  wanted.forEach((entry, i) => {
    tables[entry.spec.name] = results[i] as TableResult
  })
  return {
    collected_at: started.toISOString(),
    host: {...hostInfo(platform, tables.os_version), ...options.host},
    schema: 'nm-guard/facts@1',
    tables,
  }
}

type Loaded = Error | TableCollector | undefined

async function loadCollector(entry: TableEntry, platform: Platform): Promise<Loaded> {
  try {
    return await entry.load[platform]?.()
  } catch (error) {
    return error as Error
  }
}

export async function gatherTable(entry: TableEntry, ctx: CollectContext, preloaded?: Loaded): Promise<TableResult> {
  const collector = preloaded ?? (await loadCollector(entry, ctx.platform))
  if (!collector) return {error: `${entry.spec.name} is not collected on ${ctx.platform}`, kind: 'unsupported', text: {key: 'factError.otherPlatform', params: {platform: ctx.platform}}}
  // A recording holds tool output only: a table read from files would describe this machine instead.
  if (ctx.replay && entry.readsFiles?.includes(ctx.platform)) return {error: `${entry.spec.name} is not in a recording: on ${ctx.platform} it is read from files, not from tool output`, kind: 'unsupported', text: {key: 'factError.notRecorded', params: {}}}
  if (collector instanceof Error) return {error: `unexpected: ${collector.message}`, kind: 'failed'}
  // Windows tables share one PowerShell batch that runs its fragments one after another.
  const timeoutMs =
    ctx.platform === 'win32' ? Math.max(entry.spec.timeoutMs ?? 0, WIN32_TABLE_TIMEOUT_MS) : (entry.spec.timeoutMs ?? DEFAULT_TABLE_TIMEOUT_MS)
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FactError('timeout', `timed out after ${timeoutMs} ms`, {key: 'factError.timeout', params: {seconds: Number((timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0))}})), timeoutMs)
    })
    const rows = await Promise.race([collector.collect(ctx), timeout])
    return {rows: rows.map((row) => normaliseRow(row, entry))}
  } catch (error) {
    if (error instanceof FactError) return {error: error.message, kind: error.kind, ...(error.text ? {text: error.text} : {})}
    return {error: `unexpected: ${(error as Error).message ?? String(error)}`, kind: 'failed'}
  } finally {
    clearTimeout(timer)
  }
}

/** Every documented column is present in every row (null when unknown), so policies can rely on it. */
function normaliseRow(row: Row, entry: TableEntry): Row {
  const out: Row = {}
  for (const column of entry.spec.columns) out[column.name] = row[column.name] ?? null
  for (const [key, value] of Object.entries(row)) if (!(key in out)) out[key] = value
  return out
}

function hostInfo(platform: Platform, os: TableResult | undefined): HostInfo {
  const row = os && 'rows' in os ? os.rows[0] : undefined
  return {
    arch: arch(),
    hostname: hostname(),
    os_name: typeof row?.name === 'string' ? row.name : type(),
    os_version: typeof row?.version === 'string' ? row.version : release(),
    platform,
  }
}
