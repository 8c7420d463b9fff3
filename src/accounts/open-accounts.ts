// Wires the account service to the real stores: the OS keychain, the conf metadata store, the
// strength model (loaded only when a password is judged) and the policy's password rules.
import type {Judge, PasswordRules} from '../password/types.js'
import {AccountService} from './account-service.js'
import {openAccountStore} from './account-store.js'
import {openKeychain} from './keychain.js'
import {loadPolicyRules} from './policy-rules.js'

export interface OpenedAccounts {
  service: AccountService
  rules: PasswordRules
}

export async function openAccounts(options: {policy?: string} = {}): Promise<OpenedAccounts> {
  const [{rules, unit}, store] = await Promise.all([loadPolicyRules(options.policy), openAccountStore()])
  let judge: Promise<Judge> | undefined
  const service = new AccountService({
    judge: () => (judge ??= import('../password/judge.js').then(({createJudge}) => createJudge(rules, unit))),
    rules,
    secrets: openKeychain(),
    store,
  })
  return {rules, service}
}
