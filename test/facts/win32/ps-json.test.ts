import {expect} from 'chai'

import {bool, int, objects, single, str, toArray} from '../../../src/facts/win32/ps-json.js'

describe('win32 ps-json', () => {
  it('toArray absorbs PS 5.1 unrolling a one-object pipeline and null for none', () => {
    expect(toArray(null)).to.deep.equal([])
    expect(toArray({Name: 'a'})).to.deep.equal([{Name: 'a'}])
    expect(toArray([1, 2])).to.deep.equal([1, 2])
    expect(objects([{a: 1}, 'x', null])).to.deep.equal([{a: 1}])
    expect(single([])).to.deep.equal({})
  })

  it('reads strings, numbers and booleans in the shapes ConvertTo-Json and the registry give', () => {
    expect(str('  微信 ')).to.equal('微信')
    expect(str('')).to.equal(null)
    expect(str(4460)).to.equal('4460')
    expect(int('600')).to.equal(600)
    expect(int('0x10')).to.equal(16)
    expect(int('abc')).to.equal(null)
    expect(bool('True')).to.equal(true)
    expect(bool(0)).to.equal(false)
    expect(bool('NotConfigured')).to.equal(null)
  })
})
