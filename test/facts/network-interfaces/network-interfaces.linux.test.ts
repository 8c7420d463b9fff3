import {expect} from 'chai'

import {IP_ADDR_ARGS, IP_ROUTE_ARGS, parseDefaultRoutes, parseIpLinks, prefixLength, readSysNet, siLinks, type SysNetInfo} from '../../../src/facts/linux/ip-links.js'
import {collect, interfaceRows} from '../../../src/facts/network-interfaces/network-interfaces.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {DESKTOP_SYSFS, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const IP_ADDR = ['ip', ...IP_ADDR_ARGS].join(' ')
const IP_ROUTE = ['ip', ...IP_ROUTE_ARGS].join(' ')

describe('network_interfaces (linux)', () => {
  after(removeFakeRoots)

  it('parseDefaultRoutes keeps default and def1 routes of every table, not local ones', () => {
    const routes = parseDefaultRoutes(fixture('linux/ip-route-desktop.json'))
    expect(routes).to.deep.equal([
      {dev: 'enp3s0', gateway: '192.168.10.1'},
      {dev: 'wlp2s0', gateway: '10.1.2.1'},
      {dev: 'tun0', gateway: null},
      {dev: 'tun0', gateway: null},
      {dev: 'wg0', gateway: null},
    ])
  })

  it('classifies a desktop with wired, Wi-Fi, VPN tunnels, containers and a modem', () => {
    const sys = readSysNet(fakeRoot(DESKTOP_SYSFS))
    const links = parseIpLinks(fixture('linux/ip-addr-desktop.json'), parseDefaultRoutes(fixture('linux/ip-route-desktop.json')), sys)
    const byName = Object.fromEntries(links.map((l) => [l.name, l]))
    expect(links.map((l) => `${l.name}:${l.kind}`)).to.deep.equal([
      'lo:loopback', 'enp3s0:ethernet', 'wlp2s0:wifi', 'tun0:tunnel', 'utun7:tunnel', 'tap0:tunnel', 'wg0:tunnel', 'docker0:virtual', 'veth1a2b3c:virtual', 'wwan0:cellular',
    ])
    expect(byName.enp3s0).to.deep.equal({
      addresses: ['192.168.10.23/24', 'fe80::3e7c:3fff:fe1e:22a9/64'], defaultRoute: true, driver: 'r8169', gateway: '192.168.10.1', isVpn: false, kind: 'ethernet', mac: '3c:7c:3f:1e:22:a9', name: 'enp3s0', up: true,
    })
    expect(byName.tun0).to.include({defaultRoute: true, driver: 'tun', gateway: null, isVpn: true, mac: null, up: true})
    expect(byName.tun0?.addresses).to.deep.equal(['2.0.0.5/24', 'fe80::8e18:4cd:6678:239f/64'])
    expect(byName.wg0).to.include({defaultRoute: true, driver: 'wireguard', up: true})
    expect(byName.tap0).to.include({driver: 'tap', up: false})
    expect(byName.lo).to.include({mac: null, up: true})
    expect(byName.docker0).to.include({isVpn: false, up: false})
  })

  it('classifies this VM\'s recorded interfaces without sysfs', () => {
    const links = parseIpLinks(fixture('linux/ip-addr-debian12-vm.json'), parseDefaultRoutes(fixture('linux/ip-route-debian12-vm.json')), {} as Record<string, SysNetInfo>)
    expect(links.map((l) => `${l.name}:${l.kind}:${l.up}:${l.defaultRoute}`)).to.deep.equal(['lo:loopback:true:false', 'ifb0:virtual:false:false', 'ifb1:virtual:false:false', 'eth0:ethernet:true:true'])
  })

  it('rejects output that is not JSON with a reason', () => {
    expect(() => parseIpLinks('Option "-j" is unknown, try "ip -help".', [], {})).to.throw(/ip addr did not print JSON/)
  })

  it('siLinks maps systeminformation\'s view and prefixLength converts masks', () => {
    expect(prefixLength('255.255.255.0')).to.equal(24)
    expect(prefixLength('ffff:ffff:ffff:ffff::')).to.equal(64)
    const [link] = siLinks([{default: true, internal: false, iface: 'tun0', ip4: '10.8.0.6', ip4subnet: '255.255.255.0', ip6: '', ip6subnet: '', mac: '', operstate: 'unknown', type: 'virtual', virtual: true}])
    expect(link).to.include({defaultRoute: true, isVpn: true, kind: 'tunnel', mac: null, up: true})
    expect(link?.addresses).to.deep.equal(['10.8.0.6/24'])
  })

  it('collect runs ip and reads sysfs under root', async () => {
    const exec = fakeExec({[IP_ADDR]: fixture('linux/ip-addr-desktop.json'), [IP_ROUTE]: fixture('linux/ip-route-desktop.json')})
    const rows = await collect(testContext('linux', {exec}), fakeRoot(DESKTOP_SYSFS))
    expect(rows).to.have.length(10)
    expect(rows.find((r) => r.name === 'wlp2s0')).to.deep.equal({addresses: ['10.1.2.37/24'], default_route: true, description: 'iwlwifi', gateway: '10.1.2.1', is_vpn: false, kind: 'wifi', mac: 'a4:c3:f0:85:6b:12', name: 'wlp2s0', up: true})
    expect(interfaceRows([])).to.deep.equal([])
  })

  it('collect falls back to systeminformation where ip is missing', async () => {
    const rows = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot({}))
    expect(rows.find((r) => r.name === 'lo')).to.include({kind: 'loopback'})
  })

  it('collect falls back where ip is too old for JSON', async () => {
    const exec = fakeExec({ip: {code: 255, stderr: 'Option "-d" is unknown, try "ip -help".\n'}})
    const rows = await collect(testContext('linux', {exec}), fakeRoot({}))
    expect(rows.some((r) => r.kind === 'loopback')).to.equal(true)
  })
})
