// The facts contract (nm-guard/facts@1) and the seams every collector receives.

import type {LocalText} from '../i18n/messages.js'
import type {FactErrorKind} from '../os/fact-error.js'
import type {Exec, Platform} from '../os/types.js'

export type {Exec, ExecOptions, ExecResult, Platform} from '../os/types.js'
export {PLATFORMS} from '../os/types.js'

export type Cell = boolean | null | number | string | string[]
export type Row = Record<string, Cell>

export type ColumnType = 'boolean' | 'datetime' | 'integer' | 'number' | 'text' | 'text[]'

export interface ColumnSpec {
  name: string
  type: ColumnType
  description: string
  /** Set when only some platforms fill the column; elsewhere it is null. */
  platforms?: Platform[]
}

export interface TableSpec {
  name: string
  description: string
  columns: ColumnSpec[]
  platforms: Platform[]
  /** Per-table budget; a table that takes longer is recorded as unavailable. */
  timeoutMs?: number
}

/** `error` is the technical detail; `kind` and, when known, `text` say why in plain words. */
export type TableResult = {error: string; kind?: FactErrorKind; text?: LocalText} | {rows: Row[]}

export interface HostInfo {
  hostname: string
  platform: Platform
  os_name: string
  os_version: string
  arch: string
}

export interface FactsSnapshot {
  schema: 'nm-guard/facts@1'
  collected_at: string
  host: HostInfo
  tables: Record<string, TableResult>
}

export interface CollectContext {
  platform: Platform
  exec: Exec
  env: Record<string, string | undefined>
  /** Whether this process runs as root / an elevated administrator. */
  isAdmin: () => Promise<boolean>
  /** Where caches and state live (NMG_STATE_DIR overrides). */
  stateDir: string
  now: () => Date
  /**
   * win32 only: runs a PowerShell fragment inside the one PowerShell process shared by every
   * table of this gathering, and returns what the fragment wrote as a JSON array.
   */
  powershell: (name: string, script: string) => Promise<unknown[]>
  /** Set when the exec answers from a recording (`--replay`), not from this machine. */
  replay?: boolean
  /** Reuses a value computed before while `fingerprint` (of what invalidates it) is unchanged. */
  cached: <T>(key: string, fingerprint: string, compute: () => Promise<T>) => Promise<T>
}

export interface TableCollector {
  collect: (ctx: CollectContext) => Promise<Row[]>
}
