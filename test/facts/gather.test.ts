import {expect} from 'chai'

import {needsAdmin} from '../../src/os/fact-error.js'
import {gatherTable} from '../../src/facts/gather.js'
import type {TableEntry} from '../../src/facts/registry.js'
import type {Row} from '../../src/facts/types.js'
import {testContext} from '../helpers/fake-exec.js'

const entry = (collect: () => Promise<Row[]>, timeoutMs = 200): TableEntry => ({
  load: {linux: async () => ({collect})},
  spec: {columns: [{description: '', name: 'a', type: 'text'}, {description: '', name: 'b', type: 'integer'}], description: '', name: 't', platforms: ['linux'], timeoutMs},
})

describe('gatherTable', () => {
  it('fills every documented column, null when the collector left it out', async () => {
    const rows: Row[] = [{a: 'x'}, {a: 'y', b: 2, extra: true}]
    expect(await gatherTable(entry(async () => rows), testContext('linux'))).to.deep.equal({
      rows: [{a: 'x', b: null}, {a: 'y', b: 2, extra: true}],
    })
  })

  it('records the reason a table is unavailable, never an empty table', async () => {
    const denied = await gatherTable(entry(async () => Promise.reject(needsAdmin('nft list ruleset'))), testContext('linux'))
    expect(denied).to.deep.equal({error: 'needs administrator/root: nft list ruleset', kind: 'permission', text: {key: 'factError.needsAdmin', params: {what: 'nft list ruleset'}}})
    const crashed = await gatherTable(entry(async () => Promise.reject(new TypeError('boom'))), testContext('linux'))
    expect(crashed).to.deep.equal({error: 'unexpected: boom', kind: 'failed'})
    const other = await gatherTable(entry(async () => []), testContext('win32'))
    expect(other).to.deep.equal({error: 't is not collected on win32', kind: 'unsupported', text: {key: 'factError.otherPlatform', params: {platform: 'win32'}}})
  })

  it('gives up on a table after its timeout', async () => {
    const started = Date.now()
    const slow = await gatherTable(entry(() => new Promise((resolve) => setTimeout(() => resolve([]), 5000)), 100), testContext('linux'))
    expect(slow).to.deep.equal({error: 'timed out after 100 ms', kind: 'timeout', text: {key: 'factError.timeout', params: {seconds: 0.1}}})
    expect(Date.now() - started).to.be.lessThan(2000)
  })
})
