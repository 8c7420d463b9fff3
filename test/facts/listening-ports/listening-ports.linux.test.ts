import {expect} from 'chai'
import {createServer, type Server} from 'node:net'

import {collect, decodeProcAddress, isLoopback, listeningRows, parseProcNet} from '../../../src/facts/listening-ports/listening-ports.linux.js'
import {fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeProcess, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const PROC_NET = {
  'proc/net/tcp': fixture('linux/proc-net-tcp.txt'),
  'proc/net/tcp6': fixture('linux/proc-net-tcp6.txt'),
  'proc/net/udp': fixture('linux/proc-net-udp.txt'),
  'proc/net/udp6': fixture('linux/proc-net-udp6.txt'),
}

describe('listening_ports (linux)', () => {
  after(removeFakeRoots)

  it('decodeProcAddress reads host-order words, IPv4 and IPv6', () => {
    expect(decodeProcAddress('0100007F', true)).to.equal('127.0.0.1')
    expect(decodeProcAddress('7F000001', false)).to.equal('127.0.0.1')
    expect(decodeProcAddress('00000000000000000000000000000000', true)).to.equal('::')
    expect(decodeProcAddress('00000000000000000000000001000000', true)).to.equal('::1')
    expect(decodeProcAddress('000000FD000000000000000002000000', true)).to.equal('fd00::2')
    expect(decodeProcAddress('0000000000000000FFFF00000100007F', true)).to.equal('::ffff:127.0.0.1')
  })

  it('parseProcNet keeps TCP listeners and unconnected UDP sockets only', () => {
    expect(parseProcNet(fixture('linux/proc-net-tcp.txt'), 'tcp', true)).to.deep.equal([
      {address: '127.0.0.1', inode: 24243, port: 5432, protocol: 'tcp'},
      {address: '0.0.0.0', inode: 24242, port: 22, protocol: 'tcp'},
      {address: '127.0.0.53', inode: 24246, port: 53, protocol: 'tcp'},
    ])
    expect(parseProcNet(fixture('linux/proc-net-udp.txt'), 'udp', true).map((s) => `${s.address}:${s.port}`)).to.deep.equal(['127.0.0.53:53', '0.0.0.0:5353'])
    expect(parseProcNet(fixture('linux/proc-net-tcp6.txt'), 'tcp6', true).map((s) => `${s.address}:${s.port}`)).to.deep.equal([':::22', '::1:631'])
    expect(parseProcNet(fixture('linux/proc-net-udp6.txt'), 'udp6', true).map((s) => s.inode)).to.deep.equal([24249])
  })

  it('isLoopback covers 127/8, ::1 and mapped loopback', () => {
    expect(['127.0.0.53', '::1', '::ffff:127.0.0.1', '0.0.0.0', '::', '192.168.1.5'].map(isLoopback)).to.deep.equal([true, true, true, false, false, false])
  })

  it('listeningRows attaches owners and drops duplicate SO_REUSEPORT sockets', () => {
    const sockets = [
      {address: '0.0.0.0', inode: 10, port: 80, protocol: 'tcp'},
      {address: '0.0.0.0', inode: 11, port: 80, protocol: 'tcp'},
      {address: '127.0.0.1', inode: 12, port: 631, protocol: 'tcp'},
    ]
    const rows = listeningRows(sockets, new Map([[10, 500], [11, 500]]), new Map([[500, 'nginx']]))
    expect(rows).to.deep.equal([
      {address: '0.0.0.0', loopback: false, pid: 500, port: 80, process: 'nginx', protocol: 'tcp'},
      {address: '127.0.0.1', loopback: true, pid: null, port: 631, process: null, protocol: 'tcp'},
    ])
  })

  it('collect maps socket inodes to the processes holding them', async () => {
    const root = fakeRoot({
      ...PROC_NET,
      ...fakeProcess(4242, {exe: '/usr/bin/python3.11', name: 'python3', sockets: [24242, 24243, 24244, 24245, 24246, 24247, 24248, 24249]}),
      ...fakeProcess(77, {exe: '/usr/sbin/cupsd', name: 'cupsd'}),
    })
    const rows = await collect(testContext('linux'), root)
    expect(rows.map((r) => `${r.protocol} ${r.address}:${r.port} ${r.loopback} ${r.pid} ${r.process}`)).to.deep.equal([
      'tcp 0.0.0.0:22 false 4242 python3',
      'tcp 127.0.0.53:53 true 4242 python3',
      'tcp 127.0.0.1:5432 true 4242 python3',
      'tcp6 :::22 false 4242 python3',
      'tcp6 ::1:631 true 4242 python3',
      'udp 127.0.0.53:53 true 4242 python3',
      'udp 0.0.0.0:5353 false 4242 python3',
      'udp6 :::5353 false 4242 python3',
    ])
  })

  describe('on this machine', () => {
    let server: Server
    before((done) => {
      server = createServer().listen(0, '127.0.0.1', done)
    })
    after((done) => {
      server.close(() => done())
    })

    it('collect finds this process\'s own listener', async () => {
      const {port} = server.address() as {port: number}
      const rows = await collect(testContext('linux'))
      expect(rows.find((r) => r.protocol === 'tcp' && r.port === port)).to.deep.equal({address: '127.0.0.1', loopback: true, pid: process.pid, port, process: 'node', protocol: 'tcp'})
    })
  })
})
