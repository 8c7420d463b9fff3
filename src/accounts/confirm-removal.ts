// `account remove` deletes the only copy of a password: the operator types the account's name back
// (or gives it with --confirm). Under --json or without a terminal nothing prompts: --confirm is required.
import type {Readable, Writable} from 'node:stream'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {readLine} from './password-input.js'
import type {AccountPlatform} from './types.js'

export interface RemovalConfirmOptions {
  platform: AccountPlatform
  account: string
  /** --confirm NAME */
  given?: string
  json: boolean
  lang: Lang
  input?: Readable & {isTTY?: boolean}
  output?: Writable
}

/** The name as stored, or platform/name; exact (account names are case-sensitive on some platforms). */
const names = (o: RemovalConfirmOptions): string[] => [o.account, `${o.platform}/${o.account}`]

export async function confirmRemoval(options: RemovalConfirmOptions): Promise<void> {
  const label = `${options.platform}/${options.account}`
  const input = options.input ?? process.stdin
  let given = options.given
  if (given === undefined) {
    if (options.json || !input.isTTY) throw new UserError('account.confirmRequired', {account: label, name: options.account}, EXIT.usage)
    ;(options.output ?? process.stderr).write(t(options.lang, 'account.typeName', {account: label, name: options.account}))
    given = await readLine(input)
  }
  if (!names(options).includes(given.trim())) throw new UserError('account.nameMismatch', {account: label, given: given.trim()}, EXIT.usage)
}
