import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, listeningRows, parseLsofFields, parseNetstat} from '../../../src/facts/listening-ports/listening-ports.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const LSOF_TCP = '/usr/sbin/lsof -nP -iTCP -sTCP:LISTEN -F pcPtn'
const LSOF_UDP = '/usr/sbin/lsof -nP -iUDP -F pcPtn'

describe('listening_ports on darwin', () => {
  it('parses lsof field output, IPv6 brackets and commands with spaces', () => {
    const sockets = parseLsofFields(fixture('darwin/lsof-tcp-listen.txt'))
    expect(sockets).to.have.length(13)
    expect(sockets[0]).to.deep.equal({address: '::', pid: 1, port: 22, process: 'launchd', protocol: 'tcp6'})
    expect(sockets[1]).to.deep.equal({address: '0.0.0.0', pid: 1, port: 22, process: 'launchd', protocol: 'tcp'})
    expect(sockets.find((s) => s.port === 631 && s.protocol === 'tcp6')).to.include({address: '::1', process: 'cupsd'})
    expect(sockets.find((s) => s.port === 9222)).to.include({address: '127.0.0.1', process: 'Google Chrome'})
  })

  it('keeps bound UDP sockets and drops connected or unbound ones', () => {
    const sockets = parseLsofFields(fixture('darwin/lsof-udp.txt'))
    expect(sockets.map((s) => `${s.protocol} ${s.address}:${s.port} ${s.process}`)).to.deep.equal([
      'udp 0.0.0.0:137 launchd',
      'udp 0.0.0.0:5353 mDNSResponder',
      'udp6 :::5353 mDNSResponder',
      'udp 0.0.0.0:53120 WeChat',
    ])
  })

  it('parses netstat -an for listening TCP and unconnected UDP', () => {
    const tcp = parseNetstat(fixture('darwin/netstat-an-tcp.txt'))
    expect(tcp).to.have.length(13)
    expect(tcp[0]).to.deep.equal({address: '127.0.0.1', pid: null, port: 19091, process: null, protocol: 'tcp'})
    expect(tcp.find((s) => s.port === 631 && s.protocol === 'tcp6')?.address).to.equal('::1')
    const udp = parseNetstat(fixture('darwin/netstat-an-udp.txt'))
    expect(udp.map((s) => `${s.protocol} ${s.port}`)).to.deep.equal(['udp 53120', 'udp6 5353', 'udp 5353', 'udp 137'])
  })

  it('builds rows with loopback flags', () => {
    const rows = listeningRows(parseLsofFields(fixture('darwin/lsof-tcp-listen.txt')), [])
    expect(rows.find((r) => r.port === 19091)).to.deep.equal({address: '127.0.0.1', loopback: true, pid: 801, port: 19091, process: 'SunloginClient_Daemon', protocol: 'tcp'})
    expect(rows.find((r) => r.port === 19090)).to.include({loopback: false})
  })

  it('collects as root from lsof alone', async () => {
    const exec = fakeExec({[LSOF_TCP]: fixture('darwin/lsof-tcp-listen.txt'), [LSOF_UDP]: fixture('darwin/lsof-udp.txt')})
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows).to.have.length(17)
    expect(rows.every((r) => r.pid !== null)).to.equal(true)
    expect(exec.calls.some((c) => c[0] === '/usr/sbin/netstat')).to.equal(false)
  })

  it('adds the sockets a normal user cannot attribute from netstat, owner unknown', async () => {
    const exec = fakeExec({
      [LSOF_TCP]: fixture('darwin/lsof-tcp-listen-user.txt'),
      // lsof exits 1 with no output when it finds nothing.
      [LSOF_UDP]: {code: 1},
      '/usr/sbin/netstat -an -p tcp': fixture('darwin/netstat-an-tcp.txt'),
      '/usr/sbin/netstat -an -p udp': fixture('darwin/netstat-an-udp.txt'),
    })
    const rows = await collect(testContext('darwin', {exec, isAdmin: async () => false}))
    expect(rows).to.have.length(17)
    expect(rows.find((r) => r.port === 9222)).to.include({pid: 733, process: 'Google Chrome'})
    expect(rows.find((r) => r.port === 19090)).to.deep.equal({address: '0.0.0.0', loopback: false, pid: null, port: 19090, process: null, protocol: 'tcp'})
    expect(rows.filter((r) => r.port === 22).map((r) => r.protocol)).to.deep.equal(['tcp6', 'tcp'])
  })

  it('throws when lsof fails or is missing', async () => {
    const failed = fakeExec({[LSOF_TCP]: {code: 1, stderr: 'lsof: WARNING: can\'t stat() nfs file system /Volumes/share'}, [LSOF_UDP]: {code: 1}})
    const error = await collect(testContext('darwin', {exec: failed})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).message).to.match(/lsof -iTCP -sTCP:LISTEN exited 1/)
    const missing = await collect(testContext('darwin', {exec: fakeExec({})})).catch((e: unknown) => e)
    expect((missing as FactError).kind).to.equal('missing_tool')
  })
})
