// The clause texts the collector shows come from the policy it ships with, never from agents: a
// report could otherwise rename 四(二)-10 "本条款已废止，无需整改" for every administrator, or fill
// the clauses table with thousands of made-up ids.
import {readFileSync} from 'node:fs'

import {defaultPolicyPath} from '../policy/load-policy.js'
import {parsePolicy} from '../policy/parse-policy.js'

let known: Map<string, string> | undefined

/** Clause id → text, from the bundled policy (parsed once, nothing written). */
export function policyClauses(): Map<string, string> {
  if (!known) {
    const file = defaultPolicyPath()
    const {policy} = parsePolicy(readFileSync(file, 'utf8'), file)
    known = new Map((policy?.checks ?? []).map((check) => [check.clause.id, check.clause.text]))
  }
  return known
}
