import {expect} from 'chai'

import type {FactsSnapshot, Row} from '../../../src/facts/types.js'
import {networksFromFacts} from '../../../src/policy/init/current-networks.js'

const snapshot = (wifi: Row[] | string, interfaces: Row[] | string): FactsSnapshot => ({
  collected_at: '2026-12-01T08:00:00.000Z',
  host: {arch: 'x64', hostname: 'gc-xmt-01', os_name: 'Debian', os_version: '12', platform: 'linux'},
  schema: 'nm-guard/facts@1',
  tables: {
    network_interfaces: typeof interfaces === 'string' ? {error: interfaces} : {rows: interfaces},
    wifi: typeof wifi === 'string' ? {error: wifi} : {rows: wifi},
  },
})

const nic = (row: Row): Row => ({addresses: [], default_route: false, is_vpn: false, kind: 'ethernet', up: true, ...row})

describe('policy init: the networks the PC is on now', () => {
  it('offers the connected Wi-Fi and the ranges of the LAN interfaces that are up, the default route first', () => {
    const found = networksFromFacts(
      snapshot(
        [
          {connected: true, ssid: 'GC-ZWGK-5F'},
          {connected: false, ssid: 'Neighbour'},
          {connected: true, ssid: null},
          {connected: true, ssid: 'GC-ZWGK-5F'},
        ],
        [
          nic({addresses: ['127.0.0.1/8', '::1/128'], kind: 'loopback', name: 'lo'}),
          nic({addresses: ['192.168.50.7/24', 'fe80::2/64', 'fd00::7/64'], name: 'eth1'}),
          nic({addresses: ['10.13.5.20/24', '2001:db8:5:0:1::20/64', '169.254.3.3/16'], default_route: true, kind: 'wifi', name: 'wlan0'}),
          nic({addresses: ['172.16.0.2/24'], is_vpn: true, kind: 'tunnel', name: 'tun0'}),
          nic({addresses: ['10.99.0.1/24'], name: 'eth2', up: false}),
          nic({addresses: ['172.17.0.1/16'], kind: 'virtual', name: 'docker0'}),
        ],
      ),
    )
    expect(found).to.deep.equal({ssids: ['GC-ZWGK-5F'], subnets: ['10.13.5.0/24', '2001:db8:5::/64', '192.168.50.0/24']})
  })

  it('offers nothing from a table that could not be read', () => {
    expect(networksFromFacts(snapshot('nmcli not found', 'timed out after 15000 ms'))).to.deep.equal({ssids: [], subnets: []})
  })
})
