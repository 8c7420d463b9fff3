import {expect} from 'chai'

import {checkFacts} from '../../src/facts/load-facts.js'
import {compliantFacts} from '../helpers/facts-builder.js'

describe('loading a saved snapshot', () => {
  it('keeps an unavailable table\'s plain-words reason only when it is a catalogue message with plain values', () => {
    const facts = compliantFacts('linux') as unknown as {tables: Record<string, unknown>}
    facts.tables.firewall = {error: 'needs administrator/root: nft', kind: 'permission', text: {key: 'factError.needsAdmin', params: {what: 'nft'}}}
    facts.tables.wifi = {error: 'x', kind: 'sideways', text: {key: 'no.such.message', params: {}}}
    facts.tables.vpn = {error: 'y', kind: 'timeout', text: {key: 'factError.timeout', params: {seconds: {nested: true}}}}
    const loaded = checkFacts(facts, 'f.json')
    expect(loaded.tables.firewall).to.deep.equal({error: 'needs administrator/root: nft', kind: 'permission', text: {key: 'factError.needsAdmin', params: {what: 'nft'}}})
    expect(loaded.tables.wifi).to.deep.equal({error: 'x'})
    expect(loaded.tables.vpn).to.deep.equal({error: 'y', kind: 'timeout'})
  })
})
