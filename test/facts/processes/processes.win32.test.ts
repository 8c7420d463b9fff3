import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseProcesses} from '../../../src/facts/processes/processes.win32.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('processes (win32)', () => {
  it('lists image names with ".exe", paths and owners', () => {
    const rows = parseProcesses(psFixture('processes.json'))
    expect(rows.find((r) => r.pid === 9840)).to.deep.equal({name: 'Douyin.exe', path: 'C:\\Program Files (x86)\\Douyin\\Douyin.exe', pid: 9840, user: 'GCXMT-PC01\\xmt'})
    expect(rows.find((r) => r.pid === 10244)).to.include({name: 'Kuaishou.exe'})
    expect(rows.find((r) => r.pid === 4)).to.deep.equal({name: 'System', path: null, pid: 4, user: 'NT AUTHORITY\\SYSTEM'})
    expect(rows.filter((r) => r.name === 'SunloginClient.exe')).to.have.length(2)
  })

  it('collects through the batch, owners only when elevated', async () => {
    const ctx = winContext({processes: psFixture('processes-user.json')})
    const rows = await collect(ctx)
    expect(rows.map((r) => r.name)).to.deep.equal(['Idle', 'System', 'svchost.exe', 'ToDesk_Service.exe', 'ToDesk.exe', 'iNode Client.exe'])
    expect(rows.every((r) => r.user === null)).to.equal(true)
    expect(ctx.scripts()[0]).to.contain('if ($nmgElevated) {\n  Get-Process -IncludeUserName')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({processes: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
