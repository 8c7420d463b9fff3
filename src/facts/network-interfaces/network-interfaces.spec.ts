import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'network_interfaces',
  description: 'Network interfaces, their kind and which one carries the default route.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'Interface name (eth0, wlan0, tun0, 以太网, WLAN).'},
    {name: 'kind', type: 'text', description: 'ethernet, wifi, tunnel, loopback, virtual or cellular.'},
    {name: 'up', type: 'boolean', description: 'Operationally up.'},
    {name: 'addresses', type: 'text[]', description: 'Addresses in CIDR form (192.168.1.5/24, fe80::1/64).'},
    {name: 'mac', type: 'text', description: 'Hardware address, null for tunnels.'},
    {name: 'is_vpn', type: 'boolean', description: 'The interface is a VPN tunnel (tun/tap/wg/ppp/utun, TAP/Wintun/Sangfor adapters).'},
    {name: 'default_route', type: 'boolean', description: 'The default route leaves through this interface.'},
    {name: 'gateway', type: 'text', description: 'Default gateway address on this interface, null when none.'},
    {name: 'description', type: 'text', description: 'Adapter description (Windows) or driver, null when unknown.'},
  ],
}
