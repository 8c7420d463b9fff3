// Every known word with its category and rank: the Chinese pack's lists, zxcvbn-ts's common
// passwords, and per check the user inputs. A word in several lists keeps the most telling category.
import {MAX_WORD, type WordIndex} from './word-index.js'
import type {ZhLists} from './zh-pack.js'

export type WordCategory = 'common' | 'county' | 'department' | 'given' | 'love' | 'person' | 'platform' | 'region' | 'surname' | 'top' | 'unit' | 'user' | 'word'

/** A user input: its rank among the inputs and what it is (the unit's name, the custodian's…). */
export interface InputWord {
  rank: number
  category: WordCategory
}

export interface LexEntry {
  category: WordCategory
  rank: number
  /**
   * Open-class words are drawn from big lists (counties, rare common passwords): two of them side by
   * side say little about a password, so a template holds at most one.
   */
  open: boolean
  /** One of the user inputs (the account, the custodian, the unit). */
  input?: boolean
}

/** Most telling first: where a word is in several lists, the first list here names it. */
const ORDER: Array<[keyof ZhLists, WordCategory, boolean]> = [
  ['loveCodes', 'love', false],
  ['departments', 'department', false],
  ['platforms', 'platform', false],
  ['topPasswords', 'top', false],
  ['words', 'word', false],
  ['regions', 'region', false],
  // A bare surname or given name is one syllable or two of ~400: as common as any pinyin.
  ['surnames', 'surname', true],
  ['givenNames', 'given', true],
  ['counties', 'county', true],
]

/** zxcvbn's common passwords past this rank count as open-class words. */
const COMMON_CLOSED_RANK = 10_000

export class Lexicon {
  private readonly words = new Map<string, LexEntry>()
  private nonAscii?: Set<string>
  readonly maxLength: number

  /** The Chinese lists, and zxcvbn-ts's common passwords as the index has them. */
  constructor(
    lists: ZhLists,
    private readonly index: WordIndex,
  ) {
    for (const [key, category, open] of ORDER) this.addAll(lists[key], category, open)
    this.maxLength = MAX_WORD
  }

  /**
   * Whether some word holds `c`, a character outside ASCII. A letter or digit no word holds cannot be
   * part of any template reading: the reader gives up on such a password at once.
   */
  holds(c: string): boolean {
    this.nonAscii ??= new Set([...this.index.nonAsciiCharacters(), ...[...this.words.keys()].flatMap((w) => w.match(/[\u{80}-\u{10ffff}]/gu) ?? [])])
    return this.nonAscii.has(c)
  }

  /** An account name the pack also knows keeps the pack's category (gaocheng: a county). */
  get(word: string, userInputs?: ReadonlyMap<string, InputWord>): LexEntry | undefined {
    const input = userInputs?.get(word)
    const known = this.words.get(word) ?? this.common(word)
    if (!input) return known
    const category = input.category === 'user' && known ? known.category : input.category
    return {category, input: true, open: false, rank: input.rank}
  }

  private common(word: string): LexEntry | undefined {
    const entry = this.index.get(word)
    return entry?.dictionary === 'passwords-common' ? {category: 'common', open: entry.rank > COMMON_CLOSED_RANK, rank: entry.rank} : undefined
  }

  private addAll(words: readonly string[], category: WordCategory, open: boolean): void {
    words.forEach((word, i) => {
      if (!this.words.has(word)) this.words.set(word, {category, open, rank: i + 1})
    })
  }
}
