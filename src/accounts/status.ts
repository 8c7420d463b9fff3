// What is wrong with a managed account, judged from its metadata alone (no keychain, no model).
import type {PasswordRules} from '../password/types.js'
import type {AccountRecord} from './types.js'

/** In the order the status column shows the most important one. */
export const PROBLEMS = ['missing', 'forced', 'weak', 'reused', 'expired'] as const
export type AccountProblem = (typeof PROBLEMS)[number]
export type AccountStatus = 'ok' | AccountProblem

const DAY_MS = 86_400_000

/** Whole days since the password was last set; 0 for a date in the future (clock skew). */
export function ageDays(rotatedAt: string, now: Date): number {
  const at = Date.parse(rotatedAt)
  if (Number.isNaN(at)) return 0
  return Math.max(0, Math.floor((now.getTime() - at) / DAY_MS))
}

/** Fingerprints shared by two or more accounts. */
export function reusedFingerprints(records: readonly AccountRecord[]): Set<string> {
  const seen = new Set<string>()
  const reused = new Set<string>()
  for (const {fingerprint} of records) {
    if (!fingerprint) continue
    if (seen.has(fingerprint)) reused.add(fingerprint)
    seen.add(fingerprint)
  }
  return reused
}

export const isWeak = (record: AccountRecord, rules: PasswordRules): boolean => record.weak_reasons.length > 0 || record.strength_score < rules.minScore

export function accountProblems(record: AccountRecord, rules: PasswordRules, now: Date, reused: ReadonlySet<string>, missing = false): AccountProblem[] {
  const found = new Set<AccountProblem>()
  if (missing) found.add('missing')
  if (record.forced) found.add('forced')
  if (isWeak(record, rules)) found.add('weak')
  if (record.fingerprint && reused.has(record.fingerprint)) found.add('reused')
  if (ageDays(record.rotated_at, now) > rules.maxAgeDays) found.add('expired')
  return PROBLEMS.filter((p) => found.has(p))
}

export const statusOf = (problems: readonly AccountProblem[]): AccountStatus => problems[0] ?? 'ok'
