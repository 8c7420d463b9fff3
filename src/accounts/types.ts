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
  /** Custodian and contact changes made with `account edit`, oldest first (at most MAX_INFO_CHANGES). */
  info_changes: InfoChange[]
}

/** What `account edit` changes: the metadata only, never the secret. */
export const INFO_FIELDS = ['custodian', 'contact'] as const
export type InfoField = (typeof INFO_FIELDS)[number]

/**
 * One custodian/contact change, with its date. The plan (二(七)) wants such a change made in
 * 全国政务新媒体信息报送系统 within 5 working days; `reported_at` is when `account edit --reported`
 * recorded that it was. Only which fields changed is kept, not the old names or numbers.
 */
export interface InfoChange {
  at: string
  fields: InfoField[]
  reported_at: null | string
}

/** Changes kept per account: the newest, so a long-lived account's record stays small. */
export const MAX_INFO_CHANGES = 20

/** The keychain, seen as a map from an entry name to a secret. Implementations never fall back to a file. */
export interface SecretStore {
  get: (name: string) => Promise<null | string>
  set: (name: string, secret: string) => Promise<void>
  delete: (name: string) => Promise<boolean>
}
