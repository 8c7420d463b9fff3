// `disconnect`/`reconnect` act on this PC only when the operator names it: --confirm HOSTNAME, or
// the hostname typed at a prompt on a terminal. Under --json (or without a terminal) nothing prompts.
import {hostname as osHostname} from 'node:os'
import type {Readable, Writable} from 'node:stream'

import {readLine} from '../accounts/password-input.js'
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'

export interface ConfirmOptions {
  given?: string
  json: boolean
  lang: Lang
  input?: Readable & {isTTY?: boolean}
  output?: Writable
  hostname?: string
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase()

export async function confirmHostname(options: ConfirmOptions): Promise<string> {
  const host = options.hostname ?? osHostname()
  const input = options.input ?? process.stdin
  let given = options.given
  if (given === undefined) {
    if (options.json || !input.isTTY) throw new UserError('incident.confirmRequired', {hostname: host}, EXIT.usage)
    ;(options.output ?? process.stderr).write(t(options.lang, 'incident.typeHostname', {hostname: host}))
    given = await readLine(input)
  }
  if (!same(given, host)) throw new UserError('incident.hostMismatch', {given: given.trim(), hostname: host}, EXIT.usage)
  return host
}
