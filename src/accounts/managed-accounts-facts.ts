// The managed_accounts facts table, the same on every platform: read from the metadata store only.
// No keychain and no strength model: an audit stays fast and never touches a secret.
import {UserError} from '../cli/user-error.js'
import {FactError} from '../os/fact-error.js'
import {t} from '../i18n/messages.js'
import type {CollectContext, Row} from '../facts/types.js'
import {openAccountStore} from './account-store.js'
import {ageDays, reusedFingerprints} from './status.js'
import type {AccountRecord} from './types.js'

export function managedAccountRows(records: readonly AccountRecord[], now: Date): Row[] {
  const reused = reusedFingerprints(records)
  return records.map((r) => ({
    account: r.account,
    age_days: ageDays(r.rotated_at, now),
    contact_set: Boolean(r.contact?.trim()),
    custodian: r.custodian,
    forced: r.forced,
    platform: r.platform,
    reused: Boolean(r.fingerprint) && reused.has(r.fingerprint),
    rotated_at: r.rotated_at,
    strength_score: r.strength_score,
    weak_reasons: [...r.weak_reasons],
  }))
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  try {
    const store = await openAccountStore(ctx.env)
    return managedAccountRows(store.read().accounts, ctx.now())
  } catch (error) {
    // A damaged store is reported with the reason (the table becomes unavailable, never empty).
    if (error instanceof UserError) throw new FactError('failed', t('en', error.key, error.params))
    throw error
  }
}
