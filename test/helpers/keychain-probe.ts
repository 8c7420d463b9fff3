// Runs keychain operations in a fresh process (libdbus reads DBUS_SESSION_BUS_ADDRESS once per
// process, so each Secret Service under test needs its own). argv: JSON [[op, name, secret?]…];
// prints JSON [{value} | {error: {key, params, detail}}…].
import {openKeychain} from '../../src/accounts/keychain.js'
import {UserError} from '../../src/cli/user-error.js'

const keychain = openKeychain()
const results: unknown[] = []
for (const [op, name, secret] of JSON.parse(process.argv[2] ?? '[]') as Array<[string, string, string?]>) {
  try {
    if (op === 'get') results.push({value: await keychain.get(name)})
    else if (op === 'set') results.push({value: await keychain.set(name, secret ?? '')})
    else results.push({value: await keychain.delete(name)})
  } catch (error) {
    const e = error as UserError
    results.push({error: error instanceof UserError ? {detail: e.detail, key: e.key, params: e.params} : String(error)})
  }
}
process.stdout.write(JSON.stringify(results))
