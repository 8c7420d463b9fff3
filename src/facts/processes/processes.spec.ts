import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'processes',
  description: 'Running processes (no command lines: they can hold secrets).',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'Image name, e.g. ToDesk.exe or frpc.'},
    {name: 'pid', type: 'integer', description: 'Process id.'},
    {name: 'path', type: 'text', description: 'Executable path, null when not readable.'},
    {name: 'user', type: 'text', description: 'Owner, null when not readable.'},
  ],
}
