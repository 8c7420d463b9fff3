import {expect} from 'chai'

import {toolName} from '../../../src/os/tools.js'

import {IP_ADDR_ARGS, IP_ROUTE_ARGS, parseDefaultRoutes, parseIpLinks, readSysNet} from '../../../src/facts/linux/ip-links.js'
import {clientRows, collect, NMCLI_ACTIVE_ARGS, parseNmcliActive, tunnelRows} from '../../../src/facts/vpn/vpn.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {DESKTOP_SYSFS, fakeProcess, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const IP = {
  [['ip', ...IP_ADDR_ARGS].join(' ')]: fixture('linux/ip-addr-desktop.json'),
  [['ip', ...IP_ROUTE_ARGS].join(' ')]: fixture('linux/ip-route-desktop.json'),
}
const NMCLI = ['nmcli', '-t', ...NMCLI_ACTIVE_ARGS].join(' ')
const proc = (pid: number, name: string, path: null | string = null) => ({comm: name.slice(0, 15), name, path, pid, ppid: 1, uid: 1000, user: 'uos'})

describe('vpn (linux)', () => {
  after(removeFakeRoots)

  it('tunnelRows reports tun/tap/wg interfaces with state and addresses', () => {
    const links = parseIpLinks(fixture('linux/ip-addr-desktop.json'), parseDefaultRoutes(fixture('linux/ip-route-desktop.json')), readSysNet(fakeRoot(DESKTOP_SYSFS)))
    expect(tunnelRows(links)).to.deep.equal([
      {active: true, detail: 'tun0 up 2.0.0.5/24 fe80::8e18:4cd:6678:239f/64 (tun)', evidence: 'interface', name: 'tun0'},
      {active: true, detail: 'utun7 up 172.31.100.2/32 fe80::b10f:5c3d:dccb:1296/64 (tun)', evidence: 'interface', name: 'utun7'},
      {active: false, detail: 'tap0 down (tap)', evidence: 'interface', name: 'tap0'},
      {active: true, detail: 'wg0 up 10.66.66.2/32 (wireguard)', evidence: 'interface', name: 'wg0'},
    ])
  })

  it('clientRows groups running VPN client processes by product', () => {
    const rows = clientRows([
      proc(2301, 'EasyConnect', '/usr/share/sangfor/EasyConnect/EasyConnect'),
      proc(2310, 'ECAgent', '/usr/share/sangfor/EasyConnect/resources/bin/ECAgent'),
      proc(2400, 'aTrustAgent'),
      proc(2500, 'bash', '/usr/bin/bash'),
      proc(2600, 'openvpn', '/usr/sbin/openvpn'),
    ])
    expect(rows.map((r) => r.name)).to.deep.equal(['深信服 EasyConnect', '深信服 aTrust', 'OpenVPN'])
    expect(rows[0]).to.deep.equal({
      active: null,
      detail: 'EasyConnect (pid 2301, /usr/share/sangfor/EasyConnect/EasyConnect); ECAgent (pid 2310, /usr/share/sangfor/EasyConnect/resources/bin/ECAgent)',
      evidence: 'process',
      name: '深信服 EasyConnect',
    })
  })

  it('parseNmcliActive keeps VPN and WireGuard connections', () => {
    expect(parseNmcliActive(fixture('linux/nmcli-connection-active.txt'))).to.deep.equal([
      {active: true, detail: 'NetworkManager vpn connection activated on enp3s0', evidence: 'connection', name: '区政府VPN'},
      {active: false, detail: 'NetworkManager wireguard connection activating on wg-office', evidence: 'connection', name: 'wg-office'},
    ])
  })

  it('collect joins interfaces, processes and NetworkManager connections', async () => {
    const root = fakeRoot({
      ...DESKTOP_SYSFS,
      ...fakeProcess(700, {exe: '/usr/sbin/NetworkManager', name: 'NetworkManager'}),
      ...fakeProcess(2301, {exe: '/usr/share/sangfor/EasyConnect/EasyConnect', name: 'EasyConnect', uid: 1000}),
    })
    const exec = fakeExec({...IP, [NMCLI]: fixture('linux/nmcli-connection-active.txt')})
    const rows = await collect(testContext('linux', {exec}), root)
    expect(rows.map((r) => `${r.evidence}:${r.name}`)).to.deep.equal([
      'interface:tun0', 'interface:utun7', 'interface:tap0', 'interface:wg0', 'process:深信服 EasyConnect', 'connection:区政府VPN', 'connection:wg-office',
    ])
  })

  it('collect needs no NetworkManager, and finds nothing on a plain machine', async () => {
    const root = fakeRoot({'proc/1/status': 'Name:\tsystemd\nPPid:\t0\nUid:\t0\t0\t0\t0\n', 'sys/class/net/eth0/device/.keep': ''})
    const exec = fakeExec({
      [['ip', ...IP_ADDR_ARGS].join(' ')]: fixture('linux/ip-addr-debian12-vm.json'),
      [['ip', ...IP_ROUTE_ARGS].join(' ')]: fixture('linux/ip-route-debian12-vm.json'),
    })
    expect(await collect(testContext('linux', {exec}), root)).to.deep.equal([])
    expect(exec.calls.map((c) => toolName(c[0] ?? ''))).to.not.include('nmcli')
  })
})
