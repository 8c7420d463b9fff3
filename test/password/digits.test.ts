import {expect} from 'chai'

import {classifyDigits} from '../../src/password/digits.js'
import {KeyboardWalks, type Graph} from '../../src/password/keyboard.js'
import {loadZhPack} from '../../src/password/zh-pack.js'

const LOVE = new Set(['520', '521', '1314', '5201314'])

describe('password/digits', () => {
  const CASES: Array<[string, string]> = [
    ['5201314', 'love'],
    ['520520', 'love'],
    ['888888', 'repeat'],
    ['1212', 'date'],
    ['123456', 'sequence'],
    ['9876543210', 'sequence'],
    ['19880808', 'date'],
    ['880808', 'date'],
    ['0612', 'date'],
    ['2023', 'year'],
    ['13912345678', 'mobile'],
    ['4827', 'digits'],
    ['12345678901', 'digits'],
  ]
  for (const [digits, kind] of CASES) {
    it(`reads ${digits} as ${kind}`, () => {
      expect(classifyDigits(digits, LOVE).kind).to.equal(kind)
    })
  }

  it('costs a random run 10^n and a telling one far less', () => {
    expect(classifyDigits('4827', LOVE).cost).to.equal(10_000)
    expect(classifyDigits('2023', LOVE).cost).to.be.below(1000)
    expect(classifyDigits('19880808', LOVE).cost).to.be.below(1e5)
    expect(classifyDigits('13912345678', LOVE).cost).to.be.below(1e8)
  })
})

describe('password/keyboard', () => {
  const pack = loadZhPack()
  const walks = new KeyboardWalks([pack.graphs.qwerty as Graph, pack.graphs.keypad as Graph])
  const longest = (s: string): number => Math.max(0, ...walks.walksFrom(s, 0).map((w) => w.end))

  it('follows keys next to each other, shifted or not', () => {
    expect(longest('1qaz')).to.equal(4)
    expect(longest('!QAZ')).to.equal(4)
    expect(longest('qwer1234')).to.equal(4)
    expect(longest('1q2w3e4r')).to.equal(8)
    expect(longest('147')).to.equal(3)
    expect(longest('159')).to.equal(3)
  })

  it('finds no walk in keys far apart', () => {
    expect(walks.walksFrom('kx7p', 0)).to.deep.equal([])
    expect(walks.walksFrom('qp', 0)).to.deep.equal([])
  })

  it('costs more with more turns', () => {
    const straight = walks.walksFrom('qwert', 0).find((w) => w.end === 5)?.cost ?? 0
    const turning = walks.walksFrom('qwsxc', 0).find((w) => w.end === 5)?.cost ?? 0
    expect(turning).to.be.above(straight)
  })
})
