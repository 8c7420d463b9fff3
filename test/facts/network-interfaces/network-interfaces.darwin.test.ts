import {expect} from 'chai'

import {parseHardwarePorts, parseIfconfig, parseRouteGetDefault, prefixFromMask} from '../../../src/facts/darwin/network.js'
import {FactError} from '../../../src/os/fact-error.js'
import {collect, interfaceRows} from '../../../src/facts/network-interfaces/network-interfaces.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const ROUTE = '/sbin/route -n get default'
const PORTS = '/usr/sbin/networksetup -listallhardwareports'

describe('network_interfaces on darwin', () => {
  const ports = parseHardwarePorts(fixture('darwin/networksetup-listallhardwareports.txt'))
  const route = parseRouteGetDefault(fixture('darwin/route-get-default.txt'))
  const rows = interfaceRows(fixture('darwin/ifconfig.txt'), route, ports)
  const byName = (name: string) => rows.find((r) => r.name === name)

  it('parses ifconfig blocks, masks and scoped IPv6', () => {
    const parsed = parseIfconfig(fixture('darwin/ifconfig.txt'))
    expect(parsed.map((i) => i.name)).to.deep.equal(['lo0', 'gif0', 'stf0', 'anpi0', 'en3', 'en1', 'en2', 'bridge0', 'ap1', 'en0', 'awdl0', 'llw0', 'en7', 'utun0', 'utun1', 'utun2', 'utun3', 'utun4'])
    expect(prefixFromMask('0xffffff00')).to.equal(24)
    expect(prefixFromMask('0xff000000')).to.equal(8)
    expect(prefixFromMask('255.255.0.0')).to.equal(16)
  })

  it('reads the default route and the hardware port names', () => {
    expect(route).to.deep.equal({gateway: '192.168.31.1', interface: 'en0'})
    expect(parseRouteGetDefault('route: writing to routing socket: not in table\n')).to.equal(null)
    expect(ports.get('en0')).to.equal('Wi-Fi')
    expect(ports.get('en7')).to.equal('USB 10/100/1000 LAN')
    expect(ports.size).to.equal(6)
  })

  it('describes the Wi-Fi interface carrying the default route', () => {
    expect(byName('en0')).to.deep.equal({
      addresses: ['192.168.31.23/24', 'fe80::1c8f:3a2b:9d4e:7f10/64', '240e:3b7:3270:8a10:1c6d:2f4e:aa31:5b02/64', '240e:3b7:3270:8a10:6c3a:8b1d:2e4f:6a7b/64'],
      default_route: true,
      description: 'Wi-Fi',
      gateway: '192.168.31.1',
      is_vpn: false,
      kind: 'wifi',
      mac: '3c:22:fb:5e:1a:80',
      name: 'en0',
      up: true,
    })
  })

  it('classifies the other interfaces', () => {
    expect(byName('lo0')).to.include({kind: 'loopback', mac: null, up: true})
    expect(byName('en7')).to.include({kind: 'ethernet', mac: '00:e0:4c:68:0a:3e', up: false})
    expect(byName('bridge0')).to.include({kind: 'virtual', description: 'Thunderbolt Bridge'})
    expect(byName('awdl0')).to.include({kind: 'virtual'})
    expect(byName('gif0')).to.include({kind: 'tunnel', up: false, is_vpn: false})
    expect(byName('ap1')).to.include({up: false})
  })

  it('does not count the idle iCloud/AirDrop utun0–3 as VPNs, but a utun with IPv4 is one', () => {
    for (const name of ['utun0', 'utun1', 'utun2', 'utun3']) expect(byName(name)).to.include({is_vpn: false, kind: 'tunnel'})
    expect(byName('utun4')).to.include({is_vpn: true, kind: 'tunnel', mac: null, up: true})
    expect(byName('utun4')?.addresses).to.deep.equal(['10.10.128.7/24'])
  })

  it('counts a tunnel holding the default route as a VPN even without IPv4', () => {
    const viaTunnel = interfaceRows(fixture('darwin/ifconfig.txt'), parseRouteGetDefault(fixture('darwin/route-get-default-utun.txt')), ports)
    expect(viaTunnel.find((r) => r.name === 'utun3')).to.include({default_route: true, gateway: null, is_vpn: true})
    expect(viaTunnel.find((r) => r.name === 'en0')).to.include({default_route: false})
  })

  it('collects with no default route and without networksetup', async () => {
    const exec = fakeExec({
      [ROUTE]: {code: 1, stderr: fixture('darwin/route-get-default-none.stderr.txt')},
      '/sbin/ifconfig': fixture('darwin/ifconfig.txt'),
    })
    const result = await collect(testContext('darwin', {exec}))
    expect(result.some((r) => r.default_route === true)).to.equal(false)
    // Without hardware port names, en0 is known only as an en* device.
    expect(result.find((r) => r.name === 'en0')).to.include({description: null, kind: 'ethernet'})
  })

  it('collects the full picture', async () => {
    const exec = fakeExec({
      [PORTS]: fixture('darwin/networksetup-listallhardwareports.txt'),
      [ROUTE]: fixture('darwin/route-get-default.txt'),
      '/sbin/ifconfig': fixture('darwin/ifconfig.txt'),
    })
    expect(await collect(testContext('darwin', {exec}))).to.deep.equal(rows)
  })

  it('throws when ifconfig is missing', async () => {
    const error = await collect(testContext('darwin', {exec: fakeExec({[ROUTE]: fixture('darwin/route-get-default.txt')})})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).message).to.match(/ifconfig not found/)
  })
})
