import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'vpn',
  description: 'Signs of a VPN: tunnel interfaces, client processes and services, configured connections.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'Client, connection or interface name.'},
    {name: 'evidence', type: 'text', description: 'interface, process, service or connection.'},
    {name: 'active', type: 'boolean', description: 'The tunnel is up / the client is connected.'},
    {name: 'detail', type: 'text', description: 'What was seen, e.g. "tun0 up 10.8.0.2/24".'},
  ],
}
