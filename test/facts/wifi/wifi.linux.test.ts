import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {splitTerse} from '../../../src/facts/linux/nmcli.js'
import {collect, NMCLI_WIFI_ARGS, normaliseSecurity, parseIwLink, parseNmcliWifi, unescapeIwSsid} from '../../../src/facts/wifi/wifi.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {DESKTOP_SYSFS, fakeProcess, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const NMCLI = ['nmcli', '-t', ...NMCLI_WIFI_ARGS].join(' ')
const withNetworkManager = {...fakeProcess(700, {exe: '/usr/sbin/NetworkManager', name: 'NetworkManager'})}

describe('wifi (linux)', () => {
  after(removeFakeRoots)

  it('splitTerse undoes nmcli\'s escaped colons and backslashes', () => {
    expect(splitTerse('no:Office\\:5G:70\\:3A\\:0E\\:10\\:20\\:32:WPA2:wlp2s0')).to.deep.equal(['no', 'Office:5G', '70:3A:0E:10:20:32', 'WPA2', 'wlp2s0'])
    expect(splitTerse('a\\\\b::c')).to.deep.equal(['a\\b', '', 'c'])
  })

  it('parseNmcliWifi lists access points with connection, security and Chinese SSIDs', () => {
    const rows = parseNmcliWifi(fixture('linux/nmcli-wifi-list.txt'))
    expect(rows).to.have.length(7)
    expect(rows.filter((r) => r.connected)).to.deep.equal([{bssid: '3c:84:6a:1b:2c:3d', connected: true, interface: 'wlp2s0', security: 'wpa2', ssid: '区政府办公网'}])
    expect(rows.map((r) => r.security)).to.deep.equal(['wpa2', 'wpa2', 'wpa2', 'open', 'wpa2-enterprise', 'wpa2', 'wep'])
    expect(rows[2]?.ssid).to.equal(null)
    expect(rows[5]?.ssid).to.equal('Office:5G')
  })

  it('normaliseSecurity takes the weakest mode a client may use', () => {
    expect(['', 'WPA1', 'WPA2 WPA3', 'WPA3', 'OWE', 'WPA3 802.1X', 'WPA1 802.1X'].map(normaliseSecurity)).to.deep.equal(['open', 'wpa', 'wpa2', 'wpa3', 'owe', 'wpa3-enterprise', 'wpa-enterprise'])
  })

  it('parseIwLink reads the connected network, decoding escaped UTF-8 and GBK SSIDs', () => {
    expect(parseIwLink(fixture('linux/iw-link-connected.txt'), 'wlp2s0')).to.deep.equal([{bssid: '3c:84:6a:1b:2c:3d', connected: true, interface: 'wlp2s0', security: null, ssid: '区政府办公网'}])
    expect(parseIwLink(fixture('linux/iw-link-gbk-ssid.txt'), 'wlan0')[0]?.ssid).to.equal('Gov 办公网')
    expect(parseIwLink(fixture('linux/iw-link-not-connected.txt'), 'wlan0')).to.deep.equal([])
    expect(unescapeIwSsid('\\x20lead')).to.equal(' lead')
  })

  it('collect returns no rows and runs nothing without a wireless interface', async () => {
    const exec = fakeExec({})
    expect(await collect(testContext('linux', {exec}), fakeRoot({'sys/class/net/eth0/uevent': 'INTERFACE=eth0\n'}))).to.deep.equal([])
    expect(exec.calls).to.deep.equal([])
  })

  it('collect asks NetworkManager when it runs', async () => {
    const exec = fakeExec({[NMCLI]: fixture('linux/nmcli-wifi-list.txt')})
    const rows = await collect(testContext('linux', {exec}), fakeRoot({...DESKTOP_SYSFS, ...withNetworkManager}))
    expect(rows).to.have.length(7)
  })

  it('collect falls back to iw without NetworkManager', async () => {
    const exec = fakeExec({'iw dev wlp2s0 link': fixture('linux/iw-link-connected.txt')})
    const rows = await collect(testContext('linux', {exec}), fakeRoot({...DESKTOP_SYSFS, proc: {dir: true}}))
    expect(rows).to.have.length(1)
    expect(rows[0]).to.include({connected: true, ssid: '区政府办公网'})
  })

  it('collect throws missing_tool naming both tools when neither exists', async () => {
    const error = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot({...DESKTOP_SYSFS, proc: {dir: true}})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('missing_tool')
    expect((error as FactError).message).to.match(/nmcli and iw not found \(install network-manager or iw\).*wlp2s0/)
  })

  it('collect reports nmcli\'s failure when iw cannot stand in', async () => {
    const exec = fakeExec({[NMCLI]: {code: 8, stderr: 'Error: NetworkManager is not running.'}})
    const error = await collect(testContext('linux', {exec}), fakeRoot({...DESKTOP_SYSFS, ...withNetworkManager})).catch((e: unknown) => e)
    expect((error as FactError).message).to.match(/exited 8: Error: NetworkManager is not running\. \(and iw is not installed\)/)
  })
})
