import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'screen_lock',
  description: 'Whether an idle session locks and asks for the password, and after how long.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'user', type: 'text', description: 'Whose setting this is (desktop user), null for machine policy.'},
    {name: 'enabled', type: 'boolean', description: 'The screen locks on idle and needs the password to unlock.'},
    {name: 'timeout_seconds', type: 'integer', description: 'Idle seconds before locking, null when unknown.'},
    {name: 'source', type: 'text', description: 'Where the setting was read (gsettings, registry, policy, sysadminctl…).'},
  ],
}
