// The strength model's contract: what it is asked and what it answers. Secrets go in; only a
// score and reasons come out (never the password, never a hash of it).

/** The password rules of the policy (variables password_min_score … password_history). */
export interface PasswordRules {
  /** zxcvbn-style score 0–4 a password must reach. */
  minScore: number
  minLength: number
  /** Of lower case, upper case, digits, symbols. */
  minClasses: number
  maxAgeDays: number
  /** How many previous passwords a rotation may not reuse. */
  history: number
}

export const DEFAULT_RULES: PasswordRules = {history: 5, maxAgeDays: 90, minClasses: 3, minLength: 8, minScore: 3}

/** Why a password is weak, in both languages: code "place-year" → 地名+年份 / place name + year. */
export interface WeakReason {
  code: string
  zh: string
  en: string
}

export interface Verdict {
  score: 0 | 1 | 2 | 3 | 4
  /** Fails the rules: score below minScore, too short, or too few character classes. */
  weak: boolean
  reasons: WeakReason[]
}

export interface Judge {
  /** userInputs: the account, the custodian (romanised), the platform — words the password must not lean on. */
  check: (password: string, userInputs?: string[]) => Verdict
}

/** What the judge knows of the unit: its name and region (Chinese), romanised into the dictionary of user inputs. */
export interface UnitContext {
  unitName?: string
  region?: string[]
}
