// What the thin account commands share: reading the new password in the user's language, and
// turning a refused password into the user's one-line error.
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import type {PasswordRules} from '../password/types.js'
import {PasswordRefused, type AccountView} from './account-service.js'
import {readNewPassword} from './password-input.js'
import {refusalError, refusalReasons} from './refusal.js'

export function askPassword(lang: Lang, label: string, fromStdin: boolean, json: boolean): Promise<string> {
  return readNewPassword({again: t(lang, 'account.promptAgain'), fromStdin, json, prompt: t(lang, 'account.prompt', {account: label})})
}

/** Runs a store operation; a refused password becomes a UserError listing why. */
export async function refusing<T>(lang: Lang, rules: PasswordRules, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof PasswordRefused) throw refusalError(error, lang, rules.history)
    throw error
  }
}

/** The line confirming add/rotate; a forced password says what audit will flag. */
export function storedLine(lang: Lang, key: 'account.added' | 'account.rotated', view: AccountView): string {
  const account = `${view.platform}/${view.account}`
  const line = t(lang, key, {account, custodian: view.custodian, score: view.strength_score})
  if (!view.forced) return line
  return `${line}\n${t(lang, 'account.forcedNote', {problems: view.problems.map((p) => t(lang, `account.status.${p}`)).join(', ')})}`
}

export {refusalReasons}
