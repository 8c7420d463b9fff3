import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseListeningPorts} from '../../../src/facts/listening-ports/listening-ports.win32.js'
import {parseProcessList} from '../../../src/facts/win32/process-list.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('listening_ports (win32)', () => {
  const processes = parseProcessList(psFixture('processes.json'))

  it('lists TCP listeners and UDP endpoints with their process names', () => {
    const rows = parseListeningPorts(psFixture('listening-ports.json'), processes)
    expect(rows.find((r) => r.port === 11527)).to.deep.equal({address: '0.0.0.0', loopback: false, pid: 3656, port: 11527, process: 'SunloginClient.exe', protocol: 'tcp'})
    expect(rows.find((r) => r.port === 445 && r.protocol === 'tcp6')).to.include({address: '::', pid: 4, process: 'System'})
    expect(rows.find((r) => r.port === 19099)).to.include({loopback: true, process: 'SunloginClient.exe'})
    // The zone index is dropped from link-local addresses.
    expect(rows.find((r) => r.protocol === 'udp6' && r.port === 1900)).to.include({address: 'fe80::9d2c:4b1e:77a0:1c3f', process: 'svchost.exe'})
    expect(rows.filter((r) => String(r.protocol).startsWith('udp'))).to.have.length(4)
  })

  it('leaves the process null when the pid is not in the list', () => {
    const rows = parseListeningPorts([{tcp: {LocalAddress: '0.0.0.0', LocalPort: 3389, OwningProcess: 99999}, udp: null}], processes)
    expect(rows).to.deep.equal([{address: '0.0.0.0', loopback: false, pid: 99999, port: 3389, process: null, protocol: 'tcp'}])
  })

  it('collects sockets and processes in one batch', async () => {
    const ctx = winContext({listening_ports: psFixture('listening-ports.json'), processes: psFixture('processes.json')})
    expect((await collect(ctx)).length).to.equal(13)
    expect(ctx.scripts()).to.have.length(1)
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({listening_ports: denied(), processes: []})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
