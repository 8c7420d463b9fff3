// What the three platform collectors share once they know the folders: scan them, turn findings
// into rows, and keep the table honest.
//
// Honesty rule: every row is a real finding, so rows are returned even when the scan was cut short
// (the check fails either way). An empty table, though, claims "no password files here": it is
// returned only when every folder was listed and, if there were managed passwords, every candidate
// file's content was searched. Otherwise the table is unavailable, with the reason, and the check
// reports `error` rather than a pass. A keychain that cannot be read therefore costs nothing when a
// file is found by its name, and makes the table unavailable only when nothing was found.
import {loadManagedSecrets} from '../../accounts/managed-secrets.js'
import type {ProfileStore} from '../../accounts/profile-stores.js'
import {FactError, type FactErrorKind} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'
import {type Finding, scanFiles, type ScanLimits, type ScanTarget, type Shortfall} from './scan-files.js'

export interface PlaintextOptions {
  /** Where the managed passwords come from (default: the keychain, for the managed accounts); `async () => []` for names only. */
  loadSecrets?: (ctx: CollectContext) => Promise<string[]>
  limits?: Partial<ScanLimits>
}

const KIND: Record<Shortfall['kind'], FactErrorKind> = {deadline: 'timeout', limit: 'failed', permission: 'permission', secrets: 'failed', unreadable: 'failed'}

export function findingRow(f: Finding): Row {
  return {folder: f.folder, keyword: f.keyword, modified_at: f.modified_at, name: f.name, path: f.path, reason: f.reason, size: f.size, user: f.user}
}

/**
 * Elevated, other users' files are searched by name only: their managed passwords are in their own
 * keychain (Credential Manager, Secret Service), which SYSTEM or root cannot open. So an empty
 * table would claim more than was checked wherever another user has (or may have) managed accounts.
 */
export function otherUsersShortfalls(stores: readonly ProfileStore[]): Shortfall[] {
  return stores.flatMap((s): Shortfall[] => {
    const who = s.user ?? 'other users'
    if (s.error !== null) return [{detail: `${who}'s account store could not be read (${s.error}): their files were checked by name only`, kind: 'secrets'}]
    const n = s.data.accounts.length
    return n === 0 ? [] : [{detail: `${who}'s ${n} managed password(s) are in their own keychain, which an elevated audit cannot open: their files were checked by name only (run nm-guard audit as ${who} for contents)`, kind: 'secrets'}]
  })
}

/** `known` are shortfalls found while looking for the folders (e.g. Windows known folders unreadable). */
export async function collectTargets(ctx: CollectContext, targets: ScanTarget[], options: PlaintextOptions = {}, known: Shortfall[] = []): Promise<Row[]> {
  const load = options.loadSecrets ?? loadManagedSecrets
  // A loader that throws at once is a rejected promise like any other: a shortfall, not a crash.
  const secrets = Promise.resolve().then(() => load(ctx))
  const result = await scanFiles(targets, {limits: options.limits, secrets})
  const shortfalls = [...known, ...result.shortfalls]
  if (result.findings.length > 0) return result.findings.map(findingRow)
  if (result.scanned.length === 0 && shortfalls.length === 0) {
    const looked = [...new Set(targets.map((t) => t.path))].join(', ')
    throw new FactError('unsupported', `no Desktop, Documents or Downloads folder to check (looked for ${looked || 'none'})`)
  }
  if (shortfalls.length > 0) {
    const checked = `${result.scanned.length} folder(s), ${result.stats.entries} entries`
    const kind = KIND[(shortfalls.find((s) => s.kind === 'permission') ?? shortfalls[0] as Shortfall).kind]
    throw new FactError(kind, `no password file found in ${checked}, but the check is incomplete: ${shortfalls.map((s) => s.detail).join('; ')}`)
  }
  return []
}
