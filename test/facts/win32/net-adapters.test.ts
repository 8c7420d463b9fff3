import {expect} from 'chai'

import {classifyAdapter, normaliseMac, parseAdapters} from '../../../src/facts/win32/net-adapters.js'
import {psFixture} from './ps-fixtures.js'

describe('win32 net-adapters', () => {
  it('classifies adapters by media type and driver description, not the localised name', () => {
    expect(classifyAdapter({description: 'Intel(R) Ethernet Connection (17) I219-LM', mediaType: '802.3', name: '以太网', physicalMediaType: '802.3'})).to.deep.equal({isVpn: false, kind: 'ethernet'})
    expect(classifyAdapter({description: 'Intel(R) Wi-Fi 6 AX201 160MHz', mediaType: 'Native 802.11', name: 'WLAN', physicalMediaType: 'Native 802.11'})).to.deep.equal({isVpn: false, kind: 'wifi'})
    expect(classifyAdapter({description: 'Sangfor SSL VPN CS Support System VNIC', mediaType: '802.3', name: '以太网 3', physicalMediaType: 'Unspecified'})).to.deep.equal({isVpn: true, kind: 'tunnel'})
    expect(classifyAdapter({description: 'Wintun Userspace Tunnel', name: 'sing-tun'}).kind).to.equal('tunnel')
    expect(classifyAdapter({description: 'Huawei SecoClient Virtual Adapter', name: '本地连接 2'}).isVpn).to.equal(true)
    expect(classifyAdapter({description: 'iNode VPN Virtual NIC', name: '本地连接 3'}).isVpn).to.equal(true)
    expect(classifyAdapter({description: 'Qualcomm Snapdragon X55 5G Mobile Broadband', mediaType: 'Wireless WAN', name: '手机网络', physicalMediaType: 'Wireless WAN'}).kind).to.equal('cellular')
    expect(classifyAdapter({description: 'Hyper-V Virtual Ethernet Adapter', name: 'vEthernet (Default Switch)', virtual: true})).to.deep.equal({isVpn: false, kind: 'virtual'})
    expect(classifyAdapter({description: 'Bluetooth Device (Personal Area Network)', mediaType: '802.3', name: '蓝牙网络连接', physicalMediaType: 'BlueTooth'}).kind).to.equal('virtual')
    expect(classifyAdapter({description: null, name: 'Loopback Pseudo-Interface 1'}).kind).to.equal('loopback')
  })

  it('normalises MAC addresses and drops empty ones', () => {
    expect(normaliseMac('E8-80-88-1A-2B-3C')).to.equal('e8:80:88:1a:2b:3c')
    expect(normaliseMac('')).to.equal(null)
    expect(normaliseMac('00-00-00-00-00-00')).to.equal(null)
  })

  it('joins adapters, addresses and the best default route', () => {
    const adapters = parseAdapters(psFixture('network-adapters.json'))
    const byName = new Map(adapters.map((a) => [a.name, a]))
    expect(adapters.map((a) => a.name)).to.deep.equal(['以太网', 'WLAN', '蓝牙网络连接', '以太网 3', 'OpenVPN TAP-Windows6', 'wg-office', 'vEthernet (Default Switch)', '手机网络', 'Loopback Pseudo-Interface 1'])
    // Ethernet's route metric 0 + interface metric 25 beats Wi-Fi's 45; both keep their gateways.
    expect(byName.get('以太网')).to.include({defaultRoute: true, gateway: '10.13.20.1', kind: 'ethernet', mac: 'e8:80:88:1a:2b:3c', up: true})
    expect(byName.get('以太网')?.addresses).to.deep.equal(['fe80::9d2c:4b1e:77a0:1c3f/64', '10.13.20.57/24'])
    expect(byName.get('WLAN')).to.include({defaultRoute: false, gateway: '192.168.31.1', kind: 'wifi'})
    // An on-link default route (0.0.0.0 next hop) is not a gateway.
    expect(byName.get('wg-office')).to.include({gateway: null, isVpn: true, kind: 'tunnel', mac: null, up: true})
    expect(byName.get('以太网 3')).to.include({isVpn: true, mac: null, up: false})
    expect(byName.get('Loopback Pseudo-Interface 1')?.addresses).to.deep.equal(['::1/128', '127.0.0.1/8'])
    expect(byName.get('Loopback Pseudo-Interface 1')?.kind).to.equal('loopback')
  })

  it('copes with a machine that has no default route and one adapter (unrolled to an object)', () => {
    const adapters = parseAdapters([{adapters: {InterfaceDescription: 'Realtek PCIe GbE Family Controller', InterfaceIndex: 5, MacAddress: '00-E0-4C-68-01-02', MediaType: '802.3', Name: 'Ethernet', PhysicalMediaType: '802.3', Status: 'Disconnected'}, addresses: null, routes: null}])
    expect(adapters).to.have.length(1)
    expect(adapters[0]).to.include({defaultRoute: false, gateway: null, kind: 'ethernet', up: false})
  })
})
