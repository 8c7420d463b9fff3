// The password rules and unit an account command applies: from the default policy or --policy FILE.
import {passwordRulesFromPolicy, unitContextFromPolicy} from '../password/rules.js'
import type {PasswordRules, UnitContext} from '../password/types.js'
import {loadPolicy} from '../policy/load-policy.js'

export async function loadPolicyRules(file?: string): Promise<{rules: PasswordRules; unit: UnitContext}> {
  const {policy} = await loadPolicy(file)
  return {rules: passwordRulesFromPolicy(policy), unit: unitContextFromPolicy(policy)}
}
