import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'wifi',
  description: 'Wi-Fi networks the machine is connected to (and, where cheap, those in range).',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'ssid', type: 'text', description: 'Network name; null when hidden or redacted.'},
    {name: 'bssid', type: 'text', description: 'Access point MAC, lower case; null when unknown.'},
    {name: 'security', type: 'text', description: 'open, wep, wpa, wpa2, wpa3, wpa2-enterprise… ("open" means unencrypted).'},
    {name: 'connected', type: 'boolean', description: 'This machine is associated with it now.'},
    {name: 'interface', type: 'text', description: 'Wireless interface name.'},
  ],
}
