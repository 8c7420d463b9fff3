import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {parseAgentConf, renderAgentConf} from '../../src/agent/install/agent-conf.js'
import {UserError} from '../../src/cli/user-error.js'
import {assetFromConf, assetFromFlag, MAX_ASSET_CHARS} from '../../src/report/asset-number.js'

function refusal(value: string): UserError {
  try {
    assetFromFlag(value)
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('asset number', () => {
  it('takes a printable --asset of up to 64 characters, trimmed', () => {
    expect(assetFromFlag('  GC-ZC-2023-0042 ')).to.equal('GC-ZC-2023-0042')
    expect(assetFromFlag('资'.repeat(MAX_ASSET_CHARS))).to.equal('资'.repeat(MAX_ASSET_CHARS))
  })

  it('refuses an empty, overlong or unprintable --asset as a usage error, without echoing it', () => {
    expect(refusal('   ').key).to.equal('audit.assetUnprintable')
    expect(refusal('GC-1\nforged line').key).to.equal('audit.assetUnprintable')
    expect(refusal('GC\u202E1').key).to.equal('audit.assetUnprintable')
    const long = refusal('x'.repeat(MAX_ASSET_CHARS + 1))
    expect(long.key).to.equal('audit.assetTooLong')
    expect(long.exitCode).to.equal(2)
    expect(long.params).to.deep.equal({max: MAX_ASSET_CHARS})
  })

  it('reads ASSET_NUMBER from agent.conf, and is null when the file is missing, unparsable or the value bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-asset-'))
    const conf = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text, {mode: 0o600})
      return join(dir, name)
    }
    expect(await assetFromConf(conf('a.conf', 'COLLECTOR_URL=https://c.example\nASSET_NUMBER = "GC-0042"\n'))).to.equal('GC-0042')
    expect(await assetFromConf(conf('b.conf', 'COLLECTOR_URL=https://c.example\n'))).to.equal(null)
    expect(await assetFromConf(conf('c.conf', 'ASSET_NUMBR=GC-0042\n'))).to.equal(null)
    expect(await assetFromConf(conf('d.conf', `ASSET_NUMBER=${'x'.repeat(65)}\n`))).to.equal(null)
    expect(await assetFromConf(join(dir, 'none.conf'))).to.equal(null)
  })

  it('survives provision rewriting agent.conf (the file is rendered again from what it parsed)', () => {
    const conf = {ASSET_NUMBER: 'GC-0042', COLLECTOR_URL: 'https://c.example'}
    expect(parseAgentConf(renderAgentConf(conf), 'f')).to.deep.equal(conf)
  })
})
