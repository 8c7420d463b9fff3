// The OS keychain as a SecretStore: Windows Credential Manager, macOS Keychain, Secret Service on
// Linux, through @napi-rs/keyring. On Linux the entry is pinned to Secret Service: the library
// would otherwise fall back silently to the kernel keyring (in memory, gone at reboot). Any
// failure becomes one UserError with the platform's remedy; there is never a file fallback.
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {SecretStore} from './types.js'

export const KEYCHAIN_SERVICE = 'nm-guard'

/**
 * Windows Credential Manager keeps at most 2,560 bytes a secret (1,280 UTF-16 characters). The
 * limit is enforced on every OS so an account can be set up the same way on any PC.
 */
export const MAX_SECRET_CHARS = 1280

type KeyringModule = typeof import('@napi-rs/keyring')

let keyring: Promise<KeyringModule> | undefined

export function openKeychain(platform: NodeJS.Platform = process.platform, service: string = KEYCHAIN_SERVICE): SecretStore {
  const entry = async (name: string) => {
    const {AsyncEntry} = await (keyring ??= import('@napi-rs/keyring'))
    // The constructor itself fails when there is no D-Bus session or no Secret Service.
    return guard(platform, () => new AsyncEntry(service, name, {linux: {store: 'secret-service'}}))
  }
  return {
    async delete(name) {
      const e = await entry(name)
      return guardAsync(platform, () => e.deleteCredential())
    },
    async get(name) {
      const e = await entry(name)
      return guardAsync(platform, () => e.getPassword())
    },
    async set(name, secret) {
      assertStorable(secret)
      const e = await entry(name)
      await guardAsync(platform, () => e.setPassword(secret))
    },
  }
}

/** Refuses a secret the keychain of some OS cannot hold, before anything is stored. */
export function assertStorable(secret: string): void {
  if (secret.length > MAX_SECRET_CHARS) throw new UserError('keychain.tooLong', {length: secret.length, max: MAX_SECRET_CHARS})
}

export function keychainUnavailable(platform: NodeJS.Platform, error: unknown): UserError {
  const message = (error as Error)?.message ?? String(error)
  // The library's message names the store and the D-Bus/OS error: never a secret.
  const reason = message.split('\n')[0]?.trim() || 'unknown error'
  const remedy = platform === 'win32' ? 'keychain.remedy.win32' : platform === 'darwin' ? 'keychain.remedy.darwin' : 'keychain.remedy.linux'
  return new UserError('keychain.unavailable', {reason}, EXIT.error, {key: remedy, params: {}})
}

function guard<T>(platform: NodeJS.Platform, run: () => T): T {
  try {
    return run()
  } catch (error) {
    throw keychainUnavailable(platform, error)
  }
}

async function guardAsync<T>(platform: NodeJS.Platform, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw keychainUnavailable(platform, error)
  }
}
