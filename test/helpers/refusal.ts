// The UserError a promise must reject with: a test fails if it resolves or throws anything else.
import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'

export async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a refusal')
}
