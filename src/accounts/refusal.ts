// A refused password as the user's one-line error: the model's reasons in their language, and
// which other accounts share it. Never the password.
import {UserError} from '../cli/user-error.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import type {PasswordRefused} from './account-service.js'
import {reasonText} from './render-accounts.js'

export function refusalReasons(refused: PasswordRefused, lang: Lang, history: number): string[] {
  const {verdict} = refused
  const reasons = verdict.weak ? reasonText(verdict.reasons, lang) : []
  if (verdict.weak && reasons.length === 0) reasons.push(t(lang, 'account.reason.belowPolicy', {min: refused.minScore, score: verdict.score}))
  if (refused.reusedWith.length > 0) reasons.push(t(lang, 'account.reason.reused', {accounts: refused.reusedWith.join(', ')}))
  if (refused.recent) reasons.push(t(lang, 'account.reason.recent', {count: history}))
  return reasons
}

export function refusalError(refused: PasswordRefused, lang: Lang, history: number): UserError {
  const reasons = refusalReasons(refused, lang, history).join('; ')
  return new UserError(refused.recent ? 'account.refusedRecent' : 'account.refused', {reasons})
}
