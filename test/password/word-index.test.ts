// word-index.ts replaces zxcvbn-ts's dictionary, reverse and l33t matchers: on the same words it
// must find what they find (plain and reversed exactly; l33t at least as much).
import {Options} from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import {expect} from 'chai'

import {buildIndex, UserWords, WordIndex} from '../../src/password/word-index.js'

// No duplicates: zxcvbn-ts ranks a repeated word by its last place, the index by its first.
const WORDS = [...new Set([...common.dictionary['passwords-common'].slice(0, 3000), 'gaocheng', 'shijiazhuang', 'password', 'woaini', 'love', 'lover', 'i', 'a'])]
const PASSWORDS = ['P@ssw0rd', 'Gaocheng2023', 'gn3hcoag', 'w0@1n1', 'xX_l0v3r_Xx', '1qaz2wsx', 'passwordpassword', 'k8#Rq2!vXz9L', '', 'a', 'sh1j1azhuang', '|_|ser', 'drowssap']

interface Seen {
  i: number
  j: number
  matchedWord: string
  rank: number
  token: string
  l33t: boolean
  reversed: boolean
}

type Matcher = {match: (options: {password: string}) => Seen[]}
type MatcherClass = new (options: Options) => Matcher

// zxcvbn-ts's own matchers are internal modules (no typings): loaded by path.
async function theirMatcher(path: string, options: Options): Promise<Matcher> {
  const url = new URL(`../../node_modules/@zxcvbn-ts/core/dist/matcher/dictionary/${path}.mjs`, import.meta.url).href
  const {default: Class} = (await import(url)) as {default: MatcherClass}
  return new Class(options)
}

const key = (m: Seen): string => `${m.i}:${m.j}:${m.matchedWord}:${m.rank}:${m.token}:${m.l33t}:${m.reversed}`
const keys = (ms: Seen[]): string[] => [...new Set(ms.map(key))].sort()

describe('password/word-index', () => {
  const options = new Options({dictionary: {test: WORDS}, l33tMaxSubstitutions: 8})
  const index = new WordIndex(buildIndex({test: WORDS}), options.l33tTable as Record<string, string[]>)
  const theirs = {} as Record<'l33t' | 'plain' | 'reverse', Matcher>
  before(async () => {
    theirs.plain = await theirMatcher('matching', options)
    theirs.reverse = await theirMatcher('variants/matching/reverse', options)
    theirs.l33t = await theirMatcher('variants/matching/l33t', options)
  })

  for (const password of PASSWORDS) {
    it(`finds the same plain and reversed matches as zxcvbn-ts in ${JSON.stringify(password)}`, () => {
      expect(keys(index.match(password) as Seen[])).to.deep.equal(keys(theirs.plain.match({password})))
      expect(keys(index.match(password, undefined, true) as Seen[])).to.deep.equal(keys(theirs.reverse.match({password})))
    })

    it(`finds every l33t match zxcvbn-ts finds in ${JSON.stringify(password)}`, () => {
      const ours = new Set(keys(index.matchL33t(password, 8) as Seen[]))
      for (const m of keys(theirs.l33t.match({password}))) expect(ours.has(m), m).to.equal(true)
    })
  }

  it('reports l33t substitutions the way zxcvbn-ts scores them', () => {
    const m = index.matchL33t('P@ssw0rd', 8).find((x) => x.matchedWord === 'password')
    expect(m?.subs).to.deep.include.members([
      {letter: 'a', substitution: '@'},
      {letter: 'o', substitution: '0'},
    ])
    expect(m?.token).to.equal('P@ssw0rd')
  })

  it('looks words up exactly and keeps the first list on a tie of words', () => {
    const two = new WordIndex(buildIndex({first: ['alpha', 'beta'], second: ['beta', 'gamma']}), {})
    expect(two.get('beta')).to.deep.equal({dictionary: 'first', rank: 2})
    expect(two.get('gamma')).to.deep.equal({dictionary: 'second', rank: 2})
    expect(two.get('gam')).to.equal(undefined)
    expect(two.get('alphabet')).to.equal(undefined)
    expect(two.size).to.equal(3)
  })

  it('matches user inputs, with their prefixes, beside the index', () => {
    const inputs = new UserWords({gcwxb: 1})
    const found = index.match('xGcwxb2023', inputs).filter((m) => m.dictionaryName === 'userInputs')
    expect(found.map((m) => [m.i, m.j, m.token])).to.deep.equal([[1, 5, 'Gcwxb']])
  })
})
