// An error meant for the user: a catalogue key and its parameters, translated where it is shown.
import type {Params} from '../i18n/messages.js'
import {EXIT} from './exit-codes.js'

export class UserError extends Error {
  constructor(
    public readonly key: string,
    public readonly params: Params = {},
    public readonly exitCode: number = EXIT.error,
    /** A second message, translated and passed in as the {detail} parameter. */
    public readonly detail?: {key: string; params: Params},
  ) {
    super(key)
    this.name = 'UserError'
  }
}
