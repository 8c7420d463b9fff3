import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'firewall',
  description: 'Host firewalls and their default policies.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'nftables, iptables, ufw, firewalld, Domain/Private/Public (Windows profiles), socketfilterfw, pf.'},
    {name: 'enabled', type: 'boolean', description: 'It filters traffic.'},
    {name: 'default_inbound', type: 'text', description: 'accept, drop, reject or block; null when unknown.'},
    {name: 'default_outbound', type: 'text', description: 'accept, drop, reject or block; null when unknown.'},
  ],
}
