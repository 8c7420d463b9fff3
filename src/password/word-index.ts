// Dictionary matching for zxcvbn-ts, done once per start position instead of once per l33t variant.
// zxcvbn-ts's own matcher looks up every substring up to the longest word of every dictionary, and
// repeats that for each l33t reading of the whole password (up to 2^8 of them): 60–200 ms for 64
// random characters. Here the words are one sorted array (built with the dictionary pack, so
// start-up only parses it): a walk from a position narrows the range of words sharing its prefix
// and stops where no word continues, and l33t readings are branches of that walk (4 → a, @ → a,
// 1 → i or l…). The matches have zxcvbn-ts's shape and are scored by its dictionary scoring;
// test/password/word-index.test.ts checks them against zxcvbn-ts's own matchers.
import type {DictionaryMatch, L33tMatch} from '@zxcvbn-ts/core'

import {foldCase} from './fold.js'

export interface Substitution {
  letter: string
  substitution: string
}

export interface WordEntry {
  dictionary: string
  rank: number
}

/**
 * The serialised index: the words sorted (code-unit order) and joined by newlines, and per word
 * dictionary index × RANK_BASE + rank in base 36, joined by commas. Two long strings parse in a few
 * milliseconds where 115k small ones take ~100 ms; the words are compared in place, never split.
 */
export interface IndexData {
  dictionaries: string[]
  words: string
  entries: string
}

export const MAX_WORD = 24
const RANK_BASE = 2 ** 20

/**
 * Builds the index from ranked lists. A word in several lists keeps the first list's rank, so list
 * order is priority order (a common password stays one, even when it is an English word too).
 */
export function buildIndex(lists: Record<string, readonly string[]>): IndexData {
  const dictionaries = Object.keys(lists)
  const best = new Map<string, number>()
  dictionaries.forEach((name, d) => {
    ;(lists[name] ?? []).forEach((raw, i) => {
      const word = String(raw).toLowerCase()
      if (word.length === 0 || word.length > MAX_WORD || best.has(word) || i + 1 >= RANK_BASE) return
      best.set(word, d * RANK_BASE + i + 1)
    })
  })
  // A word with a newline cannot be stored (nor typed as a password line).
  const words = [...best.keys()].filter((w) => !w.includes('\n')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return {dictionaries, entries: words.map((w) => (best.get(w) as number).toString(36)).join(','), words: words.join('\n')}
}

export class WordIndex {
  private readonly text: string
  /** Start of word k in text; starts[count] is one past the end. */
  private readonly starts: Uint32Array
  private readonly entries: Float64Array
  private readonly count: number
  private readonly dictionaries: readonly string[]
  /** Substitution text → the letters it may stand for ("1" → i, l). */
  private readonly unl33t: Array<[string, string[]]>

  constructor(data: IndexData, l33tTable: Record<string, readonly string[]>) {
    this.text = data.words
    this.dictionaries = data.dictionaries
    let count = data.words === '' ? 0 : 1
    for (let k = 0; k < data.words.length; k++) if (data.words.charCodeAt(k) === 10) count++
    this.count = count
    this.starts = new Uint32Array(count + 1)
    for (let k = 0, w = 1; k < data.words.length; k++) if (data.words.charCodeAt(k) === 10) this.starts[w++] = k + 1
    this.starts[count] = data.words.length + 1
    this.entries = new Float64Array(count)
    let value = 0
    for (let k = 0, w = 0; k <= data.entries.length; k++) {
      const c = k < data.entries.length ? data.entries.charCodeAt(k) : 44
      if (c === 44) {
        this.entries[w++] = value
        value = 0
      } else value = value * 36 + (c <= 57 ? c - 48 : c - 87)
    }
    const inverse = new Map<string, string[]>()
    for (const [letter, subs] of Object.entries(l33tTable)) for (const sub of subs) inverse.set(sub, [...(inverse.get(sub) ?? []), letter])
    this.unl33t = [...inverse.entries()]
  }

  /** The word's dictionary and rank, or undefined. */
  get(word: string): undefined | WordEntry {
    const k = this.lowerBound(word, 0, this.count)
    return this.isWord(k, word) ? this.entry(k) : undefined
  }

  get size(): number {
    return this.count
  }

  /** Every character outside ASCII that some word holds (the words are ASCII but for a few hundred). */
  nonAsciiCharacters(): Set<string> {
    return new Set(this.text.match(/[\u{80}-\u{10ffff}]/gu) ?? [])
  }

  /** Plain matches (pattern dictionary, l33t false) of `password`, or of it reversed. */
  match(password: string, inputs?: UserWords, reversed = false): DictionaryMatch[] {
    const text = reversed ? [...password].reverse().join('') : password
    const lower = foldCase(text)
    const n = lower.length
    const out: DictionaryMatch[] = []
    for (let i = 0; i < n; i++) {
      let lo = 0
      let hi = this.count
      for (let j = i + 1; j <= n && j - i <= MAX_WORD; j++) {
        const word = lower.slice(i, j)
        ;[lo, hi] = this.narrow(word, lo, hi)
        const found = [inputs?.get(word), lo < hi && this.isWord(lo, word) ? this.entry(lo) : undefined]
        for (const entry of found) {
          if (!entry) continue
          const [a, b] = reversed ? [n - j, n - 1 - i] : [i, j - 1]
          out.push({dictionaryName: entry.dictionary, i: a, j: b, l33t: false, matchedWord: word, pattern: 'dictionary', rank: entry.rank, reversed, token: password.slice(a, b + 1)})
        }
        if (lo >= hi && !inputs?.hasPrefix(word)) break
      }
    }
    return out
  }

  /** l33t matches: words read with at least one substitution (P@ssw0rd → password), as zxcvbn-ts reports them. */
  matchL33t(password: string, maxSubstitutions: number, inputs?: UserWords): L33tMatch[] {
    const lower = foldCase(password)
    const found = new Map<string, L33tMatch>()
    const walk = (i: number, k: number, clean: string, lo: number, hi: number, subs: Substitution[]): void => {
      if (clean !== '') {
        ;[lo, hi] = this.narrow(clean, lo, hi)
        const entry = subs.length === 0 ? undefined : (inputs?.get(clean) ?? (lo < hi && this.isWord(lo, clean) ? this.entry(lo) : undefined))
        if (entry && k - i > 1 && !found.has(`${i}:${k}:${clean}`)) {
          const unique = subs.filter((s, x) => subs.findIndex((t) => t.letter === s.letter && t.substitution === s.substitution) === x)
          found.set(`${i}:${k}:${clean}`, {
            dictionaryName: entry.dictionary,
            i,
            j: k - 1,
            l33t: true,
            matchedWord: clean,
            pattern: 'dictionary',
            rank: entry.rank,
            reversed: false,
            subDisplay: unique.map((s) => `${s.substitution} -> ${s.letter}`).join(', '),
            subs: unique,
            token: password.slice(i, k),
          })
        }
        if (lo >= hi && !inputs?.hasPrefix(clean)) return
      }
      if (k >= lower.length || clean.length >= MAX_WORD) return
      walk(i, k + 1, clean + lower[k], lo, hi, subs)
      if (subs.length >= maxSubstitutions) return
      for (const [sub, letters] of this.unl33t) {
        if (!lower.startsWith(sub, k)) continue
        for (const letter of letters) walk(i, k + sub.length, clean + letter, lo, hi, [...subs, {letter, substitution: sub}])
      }
    }
    for (let i = 0; i < lower.length; i++) walk(i, i, '', 0, this.count, [])
    return [...found.values()].filter((m) => foldCase(m.token) !== m.matchedWord)
  }

  private entry(k: number): WordEntry {
    const e = this.entries[k] as number
    return {dictionary: this.dictionaries[Math.floor(e / RANK_BASE)] as string, rank: e % RANK_BASE}
  }

  private isWord(k: number, word: string): boolean {
    const start = this.starts[k] as number
    return k < this.count && (this.starts[k + 1] as number) - 1 - start === word.length && this.text.startsWith(word, start)
  }

  /** Word k compared with `key` on its first `limit` characters (code-unit order): <0, 0, >0. */
  private compare(k: number, key: string, limit = Infinity): number {
    const start = this.starts[k] as number
    const length = (this.starts[k + 1] as number) - 1 - start
    const n = Math.min(length, key.length, limit)
    for (let x = 0; x < n; x++) {
      const d = this.text.charCodeAt(start + x) - key.charCodeAt(x)
      if (d !== 0) return d
    }
    return Math.min(length, limit) - Math.min(key.length, limit)
  }

  /** The range of words (within lo..hi) that start with `prefix`. */
  private narrow(prefix: string, lo: number, hi: number): [number, number] {
    const start = this.lowerBound(prefix, lo, hi)
    let a = start
    let b = hi
    // First word past the prefix: the first whose first prefix.length characters sort after it.
    while (a < b) {
      const mid = (a + b) >>> 1
      if (this.compare(mid, prefix, prefix.length) <= 0) a = mid + 1
      else b = mid
    }
    return [start, a]
  }

  private lowerBound(key: string, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.compare(mid, key) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** The user inputs of one check, with their prefixes. */
export class UserWords {
  private readonly words = new Map<string, WordEntry>()
  private readonly prefixes = new Set<string>()

  constructor(ranked: Record<string, number>) {
    for (const [word, rank] of Object.entries(ranked)) {
      this.words.set(word, {dictionary: 'userInputs', rank})
      for (let k = 1; k < word.length; k++) this.prefixes.add(word.slice(0, k))
    }
  }

  get(word: string): undefined | WordEntry {
    return this.words.get(word)
  }

  hasPrefix(prefix: string): boolean {
    return this.prefixes.has(prefix)
  }
}
