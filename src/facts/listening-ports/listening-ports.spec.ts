import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'listening_ports',
  description: 'Sockets listening for connections (TCP) or bound (UDP), with the owning process.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'protocol', type: 'text', description: 'tcp, tcp6, udp or udp6.'},
    {name: 'address', type: 'text', description: 'Local address (0.0.0.0, ::, 127.0.0.1…).'},
    {name: 'port', type: 'integer', description: 'Local port.'},
    {name: 'loopback', type: 'boolean', description: 'Bound to a loopback address only.'},
    {name: 'pid', type: 'integer', description: 'Owning process id, null when not visible.'},
    {name: 'process', type: 'text', description: 'Owning process name, null when not visible.'},
  ],
}
