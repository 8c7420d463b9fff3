import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {psQuote, runFragment, sharedFragment} from '../../../src/facts/win32/run-fragment.js'
import {denied, noPowerShell, winContext} from './ps-fixtures.js'

describe('win32 run-fragment', () => {
  it('returns what the fragment wrote, through the real batch', async () => {
    const ctx = winContext({demo: [{a: 1}]})
    expect(await runFragment(ctx, 'demo', 'Get-Thing')).to.deep.equal([{a: 1}])
    expect(ctx.scripts()[0]).to.contain('Get-Thing')
  })

  it('names the administrator requirement when Windows says access is denied', async () => {
    const error = await runFragment(winContext({demo: denied()}), 'demo', 'Get-Thing', 'Get-Thing').catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('permission')
    expect((error as FactError).message).to.match(/^needs administrator\/root: Get-Thing/)
  })

  it('reports a missing powershell.exe as a missing tool', async () => {
    const error = await runFragment(noPowerShell(), 'demo', 'x').catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('missing_tool')
    expect((error as FactError).message).to.contain('powershell.exe not found')
  })

  it('runs a shared fragment once per gathering', async () => {
    const ctx = winContext({shared: [1]})
    const [a, b] = await Promise.all([sharedFragment(ctx, 'shared', 'Get-Process'), sharedFragment(ctx, 'shared', 'Get-Process')])
    expect(a).to.deep.equal([1])
    expect(b).to.equal(a)
    expect(ctx.scripts()).to.have.length(1)
    expect(ctx.scripts()[0]?.match(/Get-Process/g)).to.have.length(1)
  })

  it('quotes PowerShell string literals', () => {
    expect(psQuote("O'Brien")).to.equal("'O''Brien'")
  })
})
