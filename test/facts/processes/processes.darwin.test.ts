import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, processRows} from '../../../src/facts/processes/processes.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

describe('processes on darwin', () => {
  const rows = processRows(fixture('darwin/ps-axo.txt'))

  it('takes the name from the executable path, spaces included', () => {
    expect(rows).to.have.length(22)
    expect(rows.find((r) => r.pid === 733)).to.deep.equal({name: 'Google Chrome', path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', pid: 733, user: 'zhangwei'})
    expect(rows.find((r) => r.pid === 801)).to.deep.equal({name: 'SunloginClient_Daemon', path: '/Library/Application Support/Oray/SunloginClient/SunloginClient_Daemon', pid: 801, user: 'root'})
  })

  it('leaves the path null when ps only knows the command name', () => {
    expect(rows.find((r) => r.pid === 959)).to.deep.equal({name: 'wdavdaemon_unpri', path: null, pid: 959, user: '_wdavdaemon'})
    expect(rows.find((r) => r.pid === 1733)).to.include({name: 'zsh', path: null})
  })

  it('collects through ps without command lines', async () => {
    const exec = fakeExec({'/bin/ps -axo pid=,user=,comm=': fixture('darwin/ps-axo.txt')})
    const result = await collect(testContext('darwin', {exec}))
    expect(result).to.deep.equal(rows)
    expect(exec.calls[0]).to.not.include('args')
  })

  it('throws with the reason when ps fails', async () => {
    const exec = fakeExec({'/bin/ps -axo pid=,user=,comm=': {code: 1, stderr: 'ps: Operation not permitted'}})
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('permission')
  })
})
