// An in-memory SecretStore and a scripted judge, for testing the account logic without a keychain
// or the strength model. The judge is a lookup table the test fills: it models nothing.
import type {SecretStore} from '../../src/accounts/types.js'
import type {Judge, Verdict} from '../../src/password/types.js'

export function memorySecrets(): SecretStore & {entries: Map<string, string>; failSets: boolean} {
  const entries = new Map<string, string>()
  return {
    async delete(name) {
      return entries.delete(name)
    },
    entries,
    failSets: false,
    async get(name) {
      return entries.get(name) ?? null
    },
    async set(name, secret) {
      if (this.failSets) throw new Error('keychain write failed')
      entries.set(name, secret)
    },
  }
}

export const STRONG: Verdict = {reasons: [], score: 4, weak: false}
export const weakVerdict = (code: string, score: 0 | 1 | 2 = 1): Verdict => ({reasons: [{code, en: `${code} (en)`, zh: `${code}（中）`}], score, weak: true})

/** Answers from `table` (password → verdict), STRONG for anything else; records what it was asked. */
export function scriptedJudge(table: Record<string, Verdict> = {}): Judge & {asked: Array<{password: string; inputs: string[]}>} {
  const asked: Array<{password: string; inputs: string[]}> = []
  return {
    asked,
    check(password, userInputs = []) {
      asked.push({inputs: userInputs, password})
      return table[password] ?? STRONG
    },
  }
}
