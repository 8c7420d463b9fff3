import {expect} from 'chai'
import {realpathSync} from 'node:fs'

import {parsePasswd, parseProcStatus, processName, readProcesses} from '../../../src/facts/linux/proc-processes.js'
import {collect} from '../../../src/facts/processes/processes.linux.js'
import {fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeProcess, fakeRoot, procStatus, removeFakeRoots} from '../linux/fake-root.js'

describe('processes (linux)', () => {
  after(removeFakeRoots)

  it('parseProcStatus reads name, parent, real uid and the kernel-thread flag', () => {
    expect(parseProcStatus(fixture('linux/proc-status-secoclient.txt'), 10843)).to.deep.equal({kernelThread: false, name: 'SecoClientPromo', ppid: 10842, uid: 0})
    expect(parseProcStatus(fixture('linux/proc-status-kthreadd.txt'), 2)).to.include({kernelThread: true, name: 'kthreadd'})
    // Kernels before 6.x have no Kthread line: children of kthreadd are kernel threads.
    expect(parseProcStatus('Name:\tkworker/0:1\nPPid:\t2\nUid:\t0\t0\t0\t0\n', 57).kernelThread).to.equal(true)
    expect(parseProcStatus('Name:\ta\\\\b\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n', 9)).to.include({kernelThread: false, name: 'a\\b', uid: 1000})
  })

  it('processName prefers the executable name when comm was cut to 15 bytes', () => {
    expect(processName('SecoClientPromo', '/usr/local/SecoClient/SecoClientPromoteService')).to.equal('SecoClientPromoteService')
    expect(processName('firewalld', '/usr/bin/python3.11')).to.equal('firewalld')
    expect(processName('sunloginclient', null)).to.equal('sunloginclient')
    expect(processName('memfd:sealed-91', '/memfd:sealed-91173221a7ea (deleted)')).to.equal('memfd:sealed-91173221a7ea')
  })

  it('parsePasswd maps uids to names', () => {
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\nuos:x:1000:1000:统信用户,,,:/home/uos:/bin/bash\n').get(1000)).to.equal('uos')
  })

  it('collect lists processes under root with path and owner, without kernel threads', async () => {
    const root = fakeRoot({
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nuos:x:1000:1000::/home/uos:/bin/bash\n',
      'proc/2/status': procStatus('kthreadd', 2, 0, 0).replace('Kthread:\t0', 'Kthread:\t1'),
      ...fakeProcess(1, {exe: '/usr/lib/systemd/systemd', name: 'systemd', ppid: 0}),
      ...fakeProcess(2301, {exe: '/usr/share/sangfor/EasyConnect/resources/bin/ECAgent', name: 'ECAgent', uid: 1000}),
      ...fakeProcess(2450, {name: 'sunloginclient', uid: 1001}),
      'proc/net/tcp': '',
      'proc/self': {symlink: '2301'},
    })
    const rows = await collect(testContext('linux'), root)
    expect(rows).to.deep.equal([
      {name: 'systemd', path: '/usr/lib/systemd/systemd', pid: 1, user: 'root'},
      {name: 'ECAgent', path: '/usr/share/sangfor/EasyConnect/resources/bin/ECAgent', pid: 2301, user: 'uos'},
      {name: 'sunloginclient', path: null, pid: 2450, user: '1001'},
    ])
  })

  it('collect on this machine finds this very process', async () => {
    const rows = await collect(testContext('linux'))
    expect(rows.find((r) => r.pid === process.pid)).to.include({name: 'node', path: realpathSync(process.execPath)})
    expect(readProcesses().every((p) => p.name.length > 0)).to.equal(true)
  })
})
