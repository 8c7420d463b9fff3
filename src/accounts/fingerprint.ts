// Reuse detection without storing anything a password can be recovered from: HMAC-SHA256 under a
// random per-installation key that lives in the keychain, next to the passwords it protects.
import {createHmac, randomBytes} from 'node:crypto'

import type {SecretStore} from './types.js'

export const HMAC_KEY_ENTRY = '__hmac_key__'

export const fingerprint = (key: Buffer, password: string): string => createHmac('sha256', key).update(password, 'utf8').digest('hex')

/** Names the key in the metadata store, so fingerprints made with a lost key are recognised as stale. */
export const keyId = (key: Buffer): string => createHmac('sha256', key).update('nm-guard/key-id').digest('hex').slice(0, 16)

/** The installation key, made (32 random bytes) and stored the first time it is needed. */
export async function installationKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(HMAC_KEY_ENTRY)
  if (stored) return Buffer.from(stored, 'base64')
  const key = randomBytes(32)
  await secrets.set(HMAC_KEY_ENTRY, key.toString('base64'))
  return key
}
