// The metadata of managed accounts, in the `conf` store (accounts.json in nm-guard's per-user
// config folder; NMG_CONFIG_DIR overrides the folder). It holds no secret and no plain hash of one:
// only keyed HMAC fingerprints, whose key lives in the keychain. Conf writes atomically.
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {ACCOUNT_PLATFORMS, type AccountRecord, INFO_FIELDS, type InfoChange, MAX_INFO_CHANGES} from './types.js'

export interface AccountsData {
  /** Identifies the HMAC key the fingerprints were made with (a MAC of a constant, not of a password). */
  key_id: null | string
  accounts: AccountRecord[]
}

export interface MetadataStore {
  readonly path: string
  read: () => AccountsData
  write: (data: AccountsData) => Promise<void> | void
}

export const emptyData = (): AccountsData => ({accounts: [], key_id: null})

export const STORE_FILE = 'accounts.json'

/** conf's default per-user folder (env-paths' `config`), unless NMG_CONFIG_DIR names another. */
export function configDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NMG_CONFIG_DIR) return env.NMG_CONFIG_DIR
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir()
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'nm-guard', 'Config')
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'nm-guard')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'nm-guard')
}

/**
 * The conf-backed store. conf (~110 ms to import) is loaded only to write: reading is a plain
 * JSON parse of its file, so an audit stays fast and one on a PC without accounts creates nothing.
 */
export async function openAccountStore(env: Record<string, string | undefined> = process.env): Promise<MetadataStore> {
  const cwd = configDir(env)
  const path = join(cwd, STORE_FILE)
  let conf: Promise<{store: unknown}> | undefined
  return {
    path,
    read() {
      if (!existsSync(path)) return emptyData()
      let raw: unknown
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'))
      } catch (error) {
        // A damaged file is reported, never cleared: it may be the only record of the accounts.
        throw new UserError('account.storeUnreadable', {reason: `${path}: ${firstLine(error)}`})
      }
      return parseData(raw, path)
    },
    async write(data) {
      try {
        const store = await (conf ??= openConf(cwd))
        store.store = {accounts: data.accounts, key_id: data.key_id}
      } catch (error) {
        if (error instanceof UserError) throw error
        throw new UserError('file.unwritable', {file: path, reason: (error as NodeJS.ErrnoException).code ?? firstLine(error)})
      }
    },
  }
}

async function openConf(cwd: string): Promise<{store: unknown}> {
  const {default: Conf} = await import('conf')
  try {
    return new Conf({configFileMode: 0o600, configName: 'accounts', cwd, projectName: 'nm-guard', projectSuffix: ''})
  } catch (error) {
    throw new UserError('account.storeUnreadable', {reason: firstLine(error)})
  }
}

/** An in-memory store for tests; `failWrites` simulates a full disk. */
export function memoryStore(initial: AccountsData = emptyData()): MetadataStore & {failWrites: boolean} {
  let data = structuredClone(initial)
  return {
    failWrites: false,
    path: ':memory:',
    read: () => structuredClone(data),
    write(next) {
      if (this.failWrites) throw new UserError('file.unwritable', {file: ':memory:', reason: 'ENOSPC'})
      data = structuredClone(next)
    },
  }
}

/** Checks the shape of what was read, so a hand-edited file fails with a clear message. */
export function parseData(raw: unknown, file: string): AccountsData {
  const data = (raw ?? {}) as Partial<AccountsData>
  const accounts = data.accounts ?? []
  if (!Array.isArray(accounts) || !accounts.every(isRecord)) throw new UserError('account.storeInvalid', {file})
  return {accounts: accounts.map(fillDefaults), key_id: typeof data.key_id === 'string' ? data.key_id : null}
}

function isRecord(value: unknown): value is AccountRecord {
  const r = value as AccountRecord
  return (
    typeof r === 'object' &&
    r !== null &&
    (ACCOUNT_PLATFORMS as readonly string[]).includes(r.platform) &&
    typeof r.account === 'string' &&
    typeof r.custodian === 'string' &&
    typeof r.rotated_at === 'string' &&
    typeof r.strength_score === 'number'
  )
}

function fillDefaults(r: AccountRecord): AccountRecord {
  return {
    ...r,
    contact: typeof r.contact === 'string' ? r.contact : null,
    created_at: typeof r.created_at === 'string' ? r.created_at : r.rotated_at,
    fingerprint: typeof r.fingerprint === 'string' ? r.fingerprint : '',
    forced: r.forced === true,
    history: Array.isArray(r.history) ? r.history.filter((h) => typeof h === 'string') : [],
    // Records written before `account edit` existed have none.
    info_changes: Array.isArray(r.info_changes) ? r.info_changes.filter(isInfoChange).slice(-MAX_INFO_CHANGES) : [],
    weak_reasons: Array.isArray(r.weak_reasons) ? r.weak_reasons.filter((w) => typeof w === 'string') : [],
  }
}

function isInfoChange(value: unknown): value is InfoChange {
  const c = value as InfoChange
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.at === 'string' &&
    Array.isArray(c.fields) &&
    c.fields.every((f) => (INFO_FIELDS as readonly string[]).includes(f)) &&
    (c.reported_at === null || typeof c.reported_at === 'string')
  )
}

const firstLine = (error: unknown): string => ((error as Error)?.message ?? String(error)).split('\n')[0]?.trim() ?? ''
