// An error meant for the user: a catalogue key and its parameters, translated where it is shown.
import type {Lang} from '../i18n/lang.js'
import {type LocalText, type MessageKey, type Params, t} from '../i18n/messages.js'
import {EXIT} from './exit-codes.js'

export class UserError extends Error {
  constructor(
    public readonly key: MessageKey,
    public readonly params: Params = {},
    public readonly exitCode: number = EXIT.error,
    /** A second message, translated and passed in as the {detail} parameter. */
    public readonly detail?: LocalText,
  ) {
    super(key)
    this.name = 'UserError'
  }

  /** Whether --json shows `params` (only what the message itself shows). */
  readonly exposeParams: boolean = false

  /** The one line shown to the user. */
  render(lang: Lang): string {
    const detail = this.detail ? t(lang, this.detail.key, this.detail.params) : ''
    return t(lang, this.key, {...this.params, detail})
  }
}

/**
 * The `error` member of the --json envelope: what a person reads (message) and what a script reads
 * (key; a usage error's params too: flag names and the values typed. Other errors' params may hold
 * more than their message shows, so they stay out).
 */
export function errorJson(err: unknown, message: string): {key?: string; message: string; name: string; params?: Params} {
  if (err instanceof UserError) return {key: err.key, message, name: err.name, ...(err.exposeParams ? {params: err.params} : {})}
  return {message, name: (err as Error)?.name ?? 'Error'}
}
