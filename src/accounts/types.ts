// Managed new-media accounts: metadata in the conf store, the password only in the OS keychain.

export const ACCOUNT_PLATFORMS = ['wechat', 'weibo', 'douyin', 'toutiao', 'baijiahao', 'kuaishou', 'channels', 'xiaohongshu', 'other'] as const
export type AccountPlatform = (typeof ACCOUNT_PLATFORMS)[number]

/** What the conf store keeps of an account. No secret, no plain or unsalted hash of one. */
export interface AccountRecord {
  platform: AccountPlatform
  account: string
  custodian: string
  contact: null | string
  created_at: string
  /** When the password was last set (add or rotate). */
  rotated_at: string
  strength_score: number
  /** Reason codes of the strength model (empty when strong). */
  weak_reasons: string[]
  /** Accepted with --force despite failing the rules. */
  forced: boolean
  /** HMAC-SHA256 of the password under the installation key (kept in the keychain): reuse detection. */
  fingerprint: string
  /** Fingerprints of earlier passwords, newest first, at most the policy's history. */
  history: string[]
}

/** The keychain, seen as a map from an entry name to a secret. Implementations never fall back to a file. */
export interface SecretStore {
  get: (name: string) => Promise<null | string>
  set: (name: string, secret: string) => Promise<void>
  delete: (name: string) => Promise<boolean>
}
