// The managed passwords, for the plaintext_secrets scan to look for inside files. Read from the
// keychain only when there are managed accounts (no accounts: no keychain access at all), and
// returned to the caller in memory only.
import {UserError} from '../cli/user-error.js'
import {FactError} from '../os/fact-error.js'
import type {CollectContext} from '../facts/types.js'
import {t} from '../i18n/messages.js'
import {entryName} from './account-service.js'
import {openAccountStore} from './account-store.js'
import {openKeychain} from './keychain.js'
import type {SecretStore} from './types.js'

export async function loadManagedSecrets(ctx: CollectContext, keychain: () => SecretStore = () => openKeychain()): Promise<string[]> {
  try {
    const records = (await openAccountStore(ctx.env)).read().accounts
    if (records.length === 0) return []
    const store = keychain()
    const secrets = await Promise.all(records.map((r) => store.get(entryName(r.platform, r.account))))
    return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0)
  } catch (error) {
    // The keychain's and the store's messages name the store and the reason, never a secret.
    if (error instanceof UserError) throw new FactError('failed', t('en', error.key, error.params))
    throw error
  }
}
