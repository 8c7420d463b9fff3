import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'patch_status',
  description: 'One row: when the system was last patched and what is pending.',
  platforms: ['linux', 'win32', 'darwin'],
  timeoutMs: 120_000,
  columns: [
    {name: 'last_patch_at', type: 'datetime', description: 'ISO time of the last installed update, null when unknown.'},
    {name: 'days_since_patch', type: 'integer', description: 'Whole days since last_patch_at, null when unknown.'},
    {name: 'pending_count', type: 'integer', description: 'Updates available but not installed, null when unknown.'},
    {name: 'pending_security_count', type: 'integer', description: 'Of those, security updates; null when unknown.'},
    {name: 'source', type: 'text', description: 'Where the figures come from (apt, dnf, windows-update, softwareupdate…).'},
  ],
}
