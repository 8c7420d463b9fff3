// Managed accounts: the logic behind `nm-guard account …`, over two injected stores (the keychain
// and the metadata store) and the strength model.
//
// Order of writes, so bad input loses nothing and a failure half-way leaves no secret without
// metadata and no metadata pointing at nothing:
//   * every input is checked (existence, password rules, history, reuse) before anything is written;
//   * the keychain is written first, then the metadata; when the metadata write fails, the keychain
//     is put back as it was (the new secret deleted, or the old one restored);
//   * remove reads the secret, deletes it from the keychain, then drops the metadata; when that
//     write fails, the secret is stored again;
//   * edit writes the metadata only: the keychain is not opened at all.
// Only a crash between the two writes can leave them apart: `account check` reports an account
// whose secret is missing, and add/rotate overwrite a secret left without metadata.
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {ZoneOption} from '../i18n/local-time.js'
import type {Judge, PasswordRules, Verdict, WeakReason} from '../password/types.js'
import type {AccountsData, MetadataStore} from './account-store.js'
import {fingerprint, installationKey, keyId} from './fingerprint.js'
import {type PendingReport, pendingReport, withChange} from './info-changes.js'
import {assertStorable} from './keychain.js'
import {type AccountProblem, accountProblems, ageDays, reusedFingerprints, statusOf, type AccountStatus} from './status.js'
import type {AccountPlatform, AccountRecord, InfoField, SecretStore} from './types.js'

/** Stored when the model calls a password weak without saying why, so audit still sees a reason. */
export const BELOW_POLICY = 'below-policy'

export interface AccountDeps {
  secrets: SecretStore
  store: MetadataStore
  rules: PasswordRules
  /** The strength model, built only when a password is judged (it takes a while to load). */
  judge: () => Promise<Judge>
  now?: () => Date
  /** Stands in for the PC's time zone when working days are counted (tests). */
  zone?: ZoneOption
}

export interface NewAccount {
  platform: AccountPlatform
  account: string
  custodian: string
  contact?: null | string
}

export interface AccountView {
  platform: AccountPlatform
  account: string
  custodian: string
  contact: null | string
  strength_score: number
  weak_reasons: string[]
  forced: boolean
  rotated_at: string
  age_days: number
  status: AccountStatus
  problems: AccountProblem[]
  /** A custodian/contact change not yet reported to 全国政务新媒体信息报送系统 (二(七)), or null. */
  info_change: null | PendingReport
}

/** What `account edit` may change; absent fields stay as they are. */
export interface AccountEdit {
  custodian?: string
  contact?: string
  /** The changes so far have been made in 全国政务新媒体信息报送系统. */
  reported?: boolean
}

export interface EditOutcome {
  view: AccountView
  /** The fields whose value changed (a value given but equal to the stored one is no change). */
  changed: InfoField[]
  /** Changes marked reported now (0 when there were none open). */
  reported: number
}

export interface CheckedAccount extends AccountView {
  /** The model's reasons in both languages (empty when strong). */
  reasons: WeakReason[]
}

/** Why a new password was refused. The command words it in the user's language. */
export class PasswordRefused extends Error {
  constructor(
    public readonly verdict: Verdict,
    /** Other accounts ("platform/account") that already use this password. */
    public readonly reusedWith: string[],
    /** The password is one of this account's last `rules.history`. */
    public readonly recent: boolean,
    public readonly minScore: number,
  ) {
    super('password refused')
    this.name = 'PasswordRefused'
  }
}

export const entryName = (platform: AccountPlatform, account: string): string => `${platform}/${account}`
const label = (r: {platform: string; account: string}): string => `${r.platform}/${r.account}`

export class AccountService {
  private readonly now: () => Date

  constructor(private readonly deps: AccountDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  list(): AccountView[] {
    const {accounts} = this.deps.store.read()
    const reused = reusedFingerprints(accounts)
    return accounts.map((r) => this.view(r, reused))
  }

  /** The one account called `account` (on `platform`, when given). */
  find(account: string, platform?: AccountPlatform): AccountRecord {
    return pick(this.deps.store.read().accounts, account, platform)
  }

  view(record: AccountRecord, reused: ReadonlySet<string> = reusedFingerprints(this.deps.store.read().accounts), missing = false): AccountView {
    const problems = accountProblems(record, this.deps.rules, this.now(), reused, missing)
    return {
      account: record.account,
      age_days: ageDays(record.rotated_at, this.now()),
      contact: record.contact,
      custodian: record.custodian,
      forced: record.forced,
      info_change: pendingReport(record, this.now(), this.deps.zone),
      platform: record.platform,
      problems,
      rotated_at: record.rotated_at,
      status: statusOf(problems),
      strength_score: record.strength_score,
      weak_reasons: record.weak_reasons,
    }
  }

  /** Refuses a new account that is unnamed, has no custodian, or is already managed. */
  assertNew(input: NewAccount, accounts: readonly AccountRecord[] = this.deps.store.read().accounts): void {
    const account = input.account.trim()
    if (!account) throw new UserError('account.emptyName', {}, EXIT.usage)
    if (!input.custodian.trim()) throw new UserError('account.emptyCustodian', {}, EXIT.usage)
    if (accounts.some((r) => r.platform === input.platform && r.account === account)) {
      throw new UserError('account.exists', {account: label({account, platform: input.platform})})
    }
  }

  async add(input: NewAccount, password: string, force = false): Promise<AccountView> {
    const data = this.deps.store.read()
    this.assertNew(input, data.accounts)
    const account = input.account.trim()
    const custodian = input.custodian.trim()
    checkPassword(password)
    const key = await this.freshKey(data)
    const print = fingerprint(key, password)
    const verdict = (await this.deps.judge()).check(password, userInputs(input.platform, account, custodian, input.contact))
    const reusedWith = data.accounts.filter((r) => r.fingerprint === print).map(label)
    if ((verdict.weak || reusedWith.length > 0) && !force) throw new PasswordRefused(verdict, reusedWith, false, this.deps.rules.minScore)
    const at = this.now().toISOString()
    const record: AccountRecord = {
      account,
      contact: input.contact?.trim() || null,
      created_at: at,
      custodian,
      fingerprint: print,
      forced: verdict.weak || reusedWith.length > 0,
      history: [],
      info_changes: [],
      platform: input.platform,
      rotated_at: at,
      strength_score: verdict.score,
      weak_reasons: reasonCodes(verdict),
    }
    const undo = await this.replaceSecret(entryName(input.platform, account), password)
    await this.writeOrUndo({...data, accounts: [...data.accounts, record]}, undo)
    return this.view(record, reusedFingerprints([...data.accounts, record]))
  }

  /** The password, from the keychain. */
  async secret(record: AccountRecord): Promise<string> {
    const secret = await this.deps.secrets.get(entryName(record.platform, record.account))
    if (secret === null) throw new UserError('account.secretMissing', {account: label(record)})
    return secret
  }

  async rotate(account: string, platform: AccountPlatform | undefined, password: string, force = false): Promise<AccountView> {
    const data = this.deps.store.read()
    const record = pick(data.accounts, account, platform)
    checkPassword(password)
    const key = await this.freshKey(data)
    const print = fingerprint(key, password)
    const recent = [record.fingerprint, ...record.history].filter(Boolean).slice(0, this.deps.rules.history).includes(print)
    const verdict = (await this.deps.judge()).check(password, userInputs(record.platform, record.account, record.custodian, record.contact))
    const reusedWith = data.accounts.filter((r) => r !== record && r.fingerprint === print).map(label)
    // A recent password is refused even with --force: rotation exists to change it.
    if (recent || ((verdict.weak || reusedWith.length > 0) && !force)) throw new PasswordRefused(verdict, reusedWith, recent, this.deps.rules.minScore)
    const updated: AccountRecord = {
      ...record,
      fingerprint: print,
      forced: verdict.weak || reusedWith.length > 0,
      history: [record.fingerprint, ...record.history].filter(Boolean).slice(0, this.deps.rules.history),
      rotated_at: this.now().toISOString(),
      strength_score: verdict.score,
      weak_reasons: reasonCodes(verdict),
    }
    const undo = await this.replaceSecret(entryName(record.platform, record.account), password)
    const accounts = data.accounts.map((r) => (r === record ? updated : r))
    await this.writeOrUndo({...data, accounts}, undo)
    return this.view(updated, reusedFingerprints(accounts))
  }

  /**
   * Changes the custodian or contact (recorded with the date, to be reported per 二(七)) and/or
   * records that the changes were reported. The metadata store only: the secret is not read.
   */
  async edit(account: string, platform: AccountPlatform | undefined, edit: AccountEdit): Promise<EditOutcome> {
    const custodian = edit.custodian?.trim()
    const contact = edit.contact?.trim()
    if (custodian === undefined && contact === undefined && !edit.reported) throw new UserError('account.editNothing', {}, EXIT.usage)
    if (custodian === '') throw new UserError('account.emptyCustodian', {}, EXIT.usage)
    if (contact === '') throw new UserError('account.emptyContact', {}, EXIT.usage)
    const data = this.deps.store.read()
    const record = pick(data.accounts, account, platform)
    const changed: InfoField[] = []
    if (custodian !== undefined && custodian !== record.custodian) changed.push('custodian')
    if (contact !== undefined && contact !== (record.contact ?? '')) changed.push('contact')
    const open = record.info_changes.filter((c) => c.reported_at === null).length + (changed.length > 0 ? 1 : 0)
    const updated: AccountRecord = {
      ...record,
      contact: changed.includes('contact') ? (contact ?? null) : record.contact,
      custodian: changed.includes('custodian') ? (custodian ?? record.custodian) : record.custodian,
      info_changes: withChange(record.info_changes, changed, edit.reported === true, this.now().toISOString()),
    }
    const accounts = data.accounts.map((r) => (r === record ? updated : r))
    if (changed.length > 0 || (edit.reported && open > 0)) await this.deps.store.write({...data, accounts})
    return {changed, reported: edit.reported ? open : 0, view: this.view(updated, reusedFingerprints(accounts))}
  }

  async remove(account: string, platform?: AccountPlatform): Promise<AccountView> {
    const data = this.deps.store.read()
    const record = pick(data.accounts, account, platform)
    const name = entryName(record.platform, record.account)
    const view = this.view(record, reusedFingerprints(data.accounts))
    const old = await this.deps.secrets.get(name)
    await this.deps.secrets.delete(name)
    const accounts = data.accounts.filter((r) => r !== record)
    await this.writeOrUndo({...data, accounts}, async () => {
      if (old !== null) await this.deps.secrets.set(name, old)
    })
    return view
  }

  /** Re-judges every password in the keychain, saves the new scores, and reports each account. */
  async check(): Promise<CheckedAccount[]> {
    const data = this.deps.store.read()
    if (data.accounts.length === 0) return []
    const key = await this.freshKey(data)
    const judge = await this.deps.judge()
    const missing = new Set<AccountRecord>()
    const reasons = new Map<AccountRecord, WeakReason[]>()
    for (const record of data.accounts) {
      const secret = await this.deps.secrets.get(entryName(record.platform, record.account))
      if (secret === null) {
        missing.add(record)
        continue
      }
      const verdict = judge.check(secret, userInputs(record.platform, record.account, record.custodian, record.contact))
      record.fingerprint = fingerprint(key, secret)
      record.strength_score = verdict.score
      record.weak_reasons = reasonCodes(verdict)
      // Forced stays only while the password still fails; a strong one is no longer an exception.
      record.forced = record.forced && verdict.weak
      reasons.set(record, verdict.weak ? verdict.reasons : [])
    }
    await this.deps.store.write(data)
    const reused = reusedFingerprints(data.accounts)
    return data.accounts.map((r) => ({...this.view(r, reused, missing.has(r)), reasons: reasons.get(r) ?? []}))
  }

  /**
   * The installation key. When it is not the one the stored fingerprints were made with (first
   * use, or a keychain that lost it), every fingerprint is made again from the keychain; the
   * history of earlier passwords cannot be, and is dropped.
   */
  private async freshKey(data: AccountsData): Promise<Buffer> {
    const key = await installationKey(this.deps.secrets)
    const id = keyId(key)
    if (data.key_id === id) return key
    for (const record of data.accounts) {
      const secret = await this.deps.secrets.get(entryName(record.platform, record.account))
      record.fingerprint = secret === null ? '' : fingerprint(key, secret)
      record.history = []
    }
    data.key_id = id
    return key
  }

  /** Stores a secret and returns how to put back what the entry held before (a secret left by a crash, or the old password). */
  private async replaceSecret(name: string, secret: string): Promise<() => Promise<unknown>> {
    const old = await this.deps.secrets.get(name)
    await this.deps.secrets.set(name, secret)
    return () => (old === null ? this.deps.secrets.delete(name) : this.deps.secrets.set(name, old))
  }

  private async writeOrUndo(data: AccountsData, undo: () => Promise<unknown>): Promise<void> {
    try {
      await this.deps.store.write(data)
    } catch (error) {
      await undo()
      throw error
    }
  }
}

function pick(accounts: readonly AccountRecord[], account: string, platform?: AccountPlatform): AccountRecord {
  const name = account.trim()
  const found = accounts.filter((r) => r.account === name && (platform === undefined || r.platform === platform))
  if (found.length === 0) throw new UserError('account.notFound', {account: platform ? `${platform}/${name}` : name})
  if (found.length > 1) throw new UserError('account.ambiguous', {account: name, platforms: found.map((r) => r.platform).join(', ')}, EXIT.usage)
  return found[0] as AccountRecord
}

function checkPassword(password: string): void {
  if (password.length === 0) throw new UserError('account.emptyPassword')
  assertStorable(password)
}

/** Words the password must not lean on: the account, its platform, the custodian and the contact. */
function userInputs(platform: string, account: string, custodian: string, contact?: null | string): string[] {
  return [account, platform, custodian, ...(contact ? [contact] : [])]
}

function reasonCodes(verdict: Verdict): string[] {
  if (!verdict.weak) return []
  const codes = verdict.reasons.map((r) => r.code)
  return codes.length > 0 ? [...new Set(codes)] : [BELOW_POLICY]
}
