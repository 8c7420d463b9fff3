import {expect} from 'chai'

import {buildBatchScript, createPowerShellBatch, parseBatchOutput} from '../../src/facts/powershell-batch.js'
import {FactError} from '../../src/os/fact-error.js'
import {fakeExec} from '../helpers/fake-exec.js'
import {psStdout, sentScripts} from './win32/ps-fixtures.js'

describe('PowerShell batch (one process for every Windows table)', () => {
  it('joins fragments into one script that isolates each fragment', () => {
    const script = buildBatchScript([{name: 'os_version', script: 'Get-CimInstance Win32_OperatingSystem'}, {name: "o'neil", script: '1'}])
    expect(script).to.include("$nmgOut['os_version'] = @(& {")
    expect(script).to.include("$nmgOut['o''neil']")
    expect(script.match(/catch \{/g)).to.have.length(2)
    expect(script.trim().split('\n').at(-1)).to.equal('[pscustomobject]$nmgOut')
  })

  it('splits the result per fragment, turning a fragment error into that table’s reason', () => {
    const out = parseBatchOutput([{a: [{x: 1}], b: {__nmg_error: 'Access is denied.'}, c: {y: 2}, d: null}], ['a', 'b', 'c', 'd', 'e'])
    expect(out.get('a')).to.deep.equal([{x: 1}])
    expect(out.get('b')).to.be.instanceOf(FactError).with.property('kind', 'permission')
    expect(out.get('c')).to.deep.equal([{y: 2}])
    expect(out.get('d')).to.deep.equal([])
    expect(out.get('e')).to.deep.equal([])
    expect((parseBatchOutput([], ['a']).get('a') as Error).message).to.match(/no result object/)
  })

  it('runs fragments requested together in a single powershell.exe, the script on stdin', async () => {
    const exec = fakeExec({'powershell.exe': psStdout({one: [1], two: [{名称: '微信'}]})})
    const run = createPowerShellBatch(exec)
    const [one, two] = await Promise.all([run('one', "Write-Output '微信一'"), run('two', '2')])
    expect(one).to.deep.equal([1])
    expect(two).to.deep.equal([{名称: '微信'}])
    expect(exec.calls).to.have.length(1)
    const [script] = sentScripts(exec.inputs)
    expect(script).to.contain("Write-Output '微信一'")
    expect(exec.calls[0]?.join(' ')).not.to.contain('微信')
  })

  it('fails every fragment of a batch when PowerShell cannot start', async () => {
    const run = createPowerShellBatch(fakeExec({}))
    const results = await Promise.allSettled([run('one', '1'), run('two', '2')])
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected'])
    expect(((results[0] as PromiseRejectedResult).reason as Error).message).to.match(/powershell.exe not found/)
  })
})
