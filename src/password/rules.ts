// The policy's password rules and unit context, and the rule checks that need no model (length,
// character classes). Light on purpose: the audit and the account store import it, and it must not
// pull in zxcvbn.
import type {Policy} from '../policy/types.js'
import {DEFAULT_RULES, type PasswordRules, type UnitContext} from './types.js'

const RULE_VARIABLES: Record<keyof PasswordRules, string> = {
  history: 'password_history',
  maxAgeDays: 'password_max_age_days',
  minClasses: 'password_min_classes',
  minLength: 'password_min_length',
  minScore: 'password_min_score',
}

/** The policy's password_* variables; a variable it leaves out (or mistypes) keeps DEFAULT_RULES. */
export function passwordRulesFromPolicy(policy: Pick<Policy, 'variables'>): PasswordRules {
  const rules = {...DEFAULT_RULES}
  for (const [field, variable] of Object.entries(RULE_VARIABLES) as Array<[keyof PasswordRules, string]>) {
    const value = policy.variables?.[variable]
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) rules[field] = value
  }
  return rules
}

/** The unit's name and region (variables unit_name, unit_region), else the policy's own unit title. */
export function unitContextFromPolicy(policy: Pick<Policy, 'policy' | 'variables'>): UnitContext {
  const vars = policy.variables ?? {}
  const name = typeof vars.unit_name === 'string' && vars.unit_name.trim() !== '' ? vars.unit_name.trim() : policy.policy.unit?.zh
  const raw = vars.unit_region
  const region = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : []).filter((r) => r.trim() !== '')
  return {region, ...(name ? {unitName: name} : {})}
}

/** How many of the four classes a password uses: lower case, upper case, digits, anything else. */
export function characterClasses(password: string): number {
  let lower = false
  let upper = false
  let digit = false
  let other = false
  for (const c of password) {
    if (/\p{Ll}/u.test(c)) lower = true
    else if (/\p{Lu}/u.test(c)) upper = true
    else if (/\p{Nd}/u.test(c)) digit = true
    else other = true
  }
  return Number(lower) + Number(upper) + Number(digit) + Number(other)
}

/** Length in characters (code points), as a person counts them. */
export const passwordLength = (password: string): number => [...password].length
