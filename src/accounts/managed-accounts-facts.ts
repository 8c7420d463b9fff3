// The managed_accounts facts table, the same on every platform: read from the metadata store only.
// No keychain and no strength model: an audit stays fast and never touches a secret.
// Elevated (the scheduled audit as SYSTEM/root), every local user's store is read too
// (profile-stores.ts); each row names whose store it came from. A store that cannot be read adds
// one row for its user with `store_error` set and the account columns null, so the account checks
// report `error` for that user's unknown accounts while every other user's rows are still judged.
import {userInfo} from 'node:os'

import {UserError} from '../cli/user-error.js'
import {FactError} from '../os/fact-error.js'
import {t} from '../i18n/messages.js'
import type {CollectContext, Row} from '../facts/types.js'
import type {ZoneOption} from '../i18n/local-time.js'
import {openAccountStore} from './account-store.js'
import {pendingReport} from './info-changes.js'
import {otherProfileStores, type ProfileStore} from './profile-stores.js'
import {ageDays, reusedFingerprints} from './status.js'
import type {AccountRecord} from './types.js'

/**
 * Reuse is judged within one store: fingerprints are keyed per user (the key is in their keychain).
 * Working days since a custodian/contact change are counted on this PC's calendar (`zone`: tests).
 */
export function managedAccountRows(records: readonly AccountRecord[], now: Date, user: null | string = null, zone: ZoneOption = {}): Row[] {
  const reused = reusedFingerprints(records)
  return records.map((r) => {
    const pending = pendingReport(r, now, zone)
    return {
      account: r.account,
      age_days: ageDays(r.rotated_at, now),
      contact_set: Boolean(r.contact?.trim()),
      custodian: r.custodian,
      forced: r.forced,
      info_change_report_due: pending?.report_due ?? null,
      info_change_working_days: pending?.working_days ?? null,
      info_changed_at: pending?.changed_at ?? null,
      platform: r.platform,
      reused: Boolean(r.fingerprint) && reused.has(r.fingerprint),
      rotated_at: r.rotated_at,
      store_error: null,
      strength_score: r.strength_score,
      user,
      weak_reasons: [...r.weak_reasons],
    }
  })
}

/** The row standing for a store that could not be read: who, and why; every account column unknown. */
export const unreadableStoreRow = (store: ProfileStore): Row => ({store_error: store.error, user: store.user})

export function profileRows(stores: readonly ProfileStore[], now: Date): Row[] {
  return stores.flatMap((s) => (s.error === null ? managedAccountRows(s.data.accounts, now, s.user) : [unreadableStoreRow(s)]))
}

function currentUser(ctx: CollectContext): null | string {
  try {
    return ctx.env.USERNAME ?? ctx.env.USER ?? ctx.env.LOGNAME ?? userInfo().username
  } catch {
    return null
  }
}

/** `root` is the Linux test seam for the other users' homes. */
export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const others = otherProfileStores(ctx, root)
  let own: Row[]
  try {
    const store = await openAccountStore(ctx.env)
    own = managedAccountRows(store.read().accounts, ctx.now(), currentUser(ctx))
  } catch (error) {
    // A damaged store is reported with the reason (the table becomes unavailable, never empty)…
    if (!(error instanceof UserError)) throw error
    const reason = t('en', error.key, error.params)
    const elsewhere = await others
    if (elsewhere.length === 0) throw new FactError('failed', reason)
    // …unless other users' stores were read too: then it is this user's row, and theirs still count.
    own = [{store_error: reason, user: currentUser(ctx)}]
  }
  return [...own, ...profileRows(await others, ctx.now())]
}
