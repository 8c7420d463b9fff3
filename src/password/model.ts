// The strength model: zxcvbn-ts 4 scoring and matching with the dictionary pack (Chinese lists,
// zxcvbn-ts's common passwords and English words; word-index.ts does the dictionary matching) and
// three matchers of our own — people's names in pinyin (zhName), mobile numbers (zhMobile) and whole
// password templates (zhTemplate, see template.ts). Imported only by judge.ts, lazily: building it
// takes ~0.3 s and the audit never needs it.
import {type Matcher, MatcherBaseClass, type MatchExtended, type MatchOptions, Options, ZxcvbnFactory, type ZxcvbnResult} from '@zxcvbn-ts/core'

import {classifyDigits} from './digits.js'
import {foldCase} from './fold.js'
import {KeyboardWalks} from './keyboard.js'
import {type InputWord, Lexicon, type WordCategory} from './lexicon.js'
import {Names} from './names.js'
import {type InputVariants, inputVariants, unitVariants} from './user-inputs.js'
import {parseDecorated, parseTemplate, type Template, type TemplateModel} from './template.js'
import type {UnitContext} from './types.js'
import {UserWords, WordIndex} from './word-index.js'
import {loadZhPack, type ZhPack} from './zh-pack.js'

/** Characters judged: longer passwords are judged on their first MAX_LENGTH (stack-notes: speed). */
export const MAX_LENGTH = 100
// l33t substitutions beyond 8 cost seconds on long inputs and change no score on real passwords.
const L33T_MAX_SUBSTITUTIONS = 8

export interface ModelResult {
  result: ZxcvbnResult
  /** The template reading of the whole (judged part of the) password, if there is one. */
  template: Template | null
  /** The judged part of the password. */
  judged: string
  /** Category of a Chinese-pack or common-password word, for reasons. */
  category: (word: string) => WordCategory | undefined
}

export interface Model {
  check: (password: string, userInputs?: readonly string[]) => ModelResult
}

interface Holder {
  password: null | string
  template: Template | null
  inputs: Inputs
}

/**
 * The user inputs of the current check and what is built from them. Kept while the next check has
 * the same inputs: a batch judges every line with the unit's words, and indexing their prefixes
 * anew for each line cost more than judging it.
 */
interface Inputs {
  /** The raw inputs, joined (null before the first check). */
  key: null | string
  /** Typed forms, in rank order. */
  words: string[]
  /** What each typed form is (unit, region, person, account). */
  categories: Map<string, WordCategory>
  /** Built on first use; null when there are no inputs. */
  userWords?: null | UserWords
  inputWords?: Map<string, InputWord> | null
}

function customMatchers(model: TemplateModel, index: WordIndex, holder: Holder): Record<string, Matcher> {
  const estimate = (match: MatchExtended): number => Number(match.guessesEstimate)
  const none = (): null => null
  // Our matches of pattern "dictionary" are scored by zxcvbn-ts's own dictionary scoring; these are never called.
  const unused = (): number => 0
  // zxcvbn-ts hands every matcher the current inputs as a ranked dictionary: index it once per set of inputs.
  const userWords = (options: MatchOptions): UserWords | undefined => {
    const ranked = options.userInputsOptions?.rankedDictionary
    if (!ranked) return undefined
    holder.inputs.userWords ??= Object.keys(ranked).length > 0 ? new UserWords(ranked) : null
    return holder.inputs.userWords ?? undefined
  }

  // Registered under zxcvbn-ts's own names, these replace its dictionary, reverse and l33t matchers.
  class DictionaryMatching extends MatcherBaseClass {
    match(options: MatchOptions): MatchExtended[] {
      return index.match(options.password, userWords(options))
    }
  }

  class ReverseMatching extends MatcherBaseClass {
    match(options: MatchOptions): MatchExtended[] {
      return index.match(options.password, userWords(options), true)
    }
  }

  class L33tMatching extends MatcherBaseClass {
    match(options: MatchOptions): MatchExtended[] {
      return index.matchL33t(options.password, L33T_MAX_SUBSTITUTIONS, userWords(options))
    }
  }
  const inputsOf = (options: MatchOptions): Map<string, InputWord> | undefined => {
    const dict = options.userInputsOptions?.rankedDictionary
    if (!dict) return undefined
    if (holder.inputs.inputWords === undefined) {
      const out = new Map<string, InputWord>()
      for (const [word, rank] of Object.entries(dict)) out.set(word, {category: holder.inputs.categories.get(word) ?? 'user', rank})
      holder.inputs.inputWords = out.size > 0 ? out : null
    }
    return holder.inputs.inputWords ?? undefined
  }

  class NameMatching extends MatcherBaseClass {
    match({password}: MatchOptions): MatchExtended[] {
      const lower = foldCase(password)
      const out: MatchExtended[] = []
      for (let i = 0; i < lower.length; i++) {
        for (const name of model.names.namesFrom(lower, i)) {
          const token = password.slice(i, name.end)
          const capitals = /[A-Z]/.test(token) ? 2 : 1
          out.push({guessesEstimate: name.cost * capitals, i, j: name.end - 1, pattern: 'zhName', token})
        }
      }
      return out
    }
  }

  class MobileMatching extends MatcherBaseClass {
    match({password}: MatchOptions): MatchExtended[] {
      const out: MatchExtended[] = []
      for (const m of password.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) {
        const token = m[0]
        out.push({guessesEstimate: classifyDigits(token, model.loveCodes).cost, i: m.index, j: m.index + token.length - 1, pattern: 'zhMobile', token})
      }
      return out
    }
  }

  class TemplateMatching extends MatcherBaseClass {
    match(options: MatchOptions): MatchExtended[] {
      const {password} = options
      // zxcvbn also runs the matchers on pieces (the base of a repeat): keep only the whole's reading,
      // and undo attackers' rules on the whole only (it costs a few more passes of the reader).
      const whole = password === holder.password
      const template = parseTemplate(model, password, inputsOf(options)) ?? (whole ? parseDecorated(model, password, inputsOf(options)) : null)
      if (whole) holder.template = template
      if (!template) return []
      return [{guessesEstimate: 10 ** template.log10, i: 0, j: password.length - 1, pattern: 'zhTemplate', token: password}]
    }
  }

  return {
    dictionary: {Matching: DictionaryMatching, feedback: none, scoring: unused},
    dictionaryL33t: {Matching: L33tMatching, feedback: none, scoring: unused},
    dictionaryReverse: {Matching: ReverseMatching, feedback: none, scoring: unused},
    zhMobile: {Matching: MobileMatching, feedback: none, scoring: estimate},
    zhName: {Matching: NameMatching, feedback: none, scoring: estimate},
    zhTemplate: {Matching: TemplateMatching, feedback: none, scoring: estimate},
  }
}

/** The word index, lexicon and template model of a pack (also what template tests read with). */
export function templateParts(pack: ZhPack): {index: WordIndex; lexicon: Lexicon; templateModel: TemplateModel} {
  const index = new WordIndex(pack.index, new Options().l33tTable as Record<string, string[]>)
  const lexicon = new Lexicon(pack.lists, index)
  const templateModel: TemplateModel = {
    lexicon,
    loveCodes: new Set(pack.lists.loveCodes.filter((w) => /^\d+$/.test(w))),
    names: new Names(pack.lists.surnames, pack.lists.givenNames, pack.lists.givenSyllables, pack.syllables),
    syllables: new Set(pack.syllables),
    walks: new KeyboardWalks([pack.graphs.qwerty, pack.graphs.keypad]),
  }
  return {index, lexicon, templateModel}
}

export function buildModel(unit?: UnitContext, pack: ZhPack = loadZhPack()): Model {
  const {index, lexicon, templateModel} = templateParts(pack)
  const holder: Holder = {inputs: {categories: new Map(), key: null, words: []}, password: null, template: null}
  // No dictionaries of zxcvbn-ts's own: the matchers above answer from the index.
  const factory = new ZxcvbnFactory(
    {graphs: pack.graphs, l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS, maxLength: MAX_LENGTH},
    customMatchers(templateModel, index, holder),
  )
  const compound = new Set(pack.compoundSurnames)
  const unitInputs = unitVariants(unit)
  const inputsFor = (raw: string[], key: string): Inputs => {
    const all: InputVariants[] = [...raw.map((input) => inputVariants(input, compound)), ...unitInputs]
    const categories = new Map<string, WordCategory>()
    for (const group of all) for (const word of group.words) if (!categories.has(word)) categories.set(word, group.category)
    return {categories, key, words: [...categories.keys()]}
  }

  return {
    check(password, userInputs = []) {
      const judged = password.slice(0, MAX_LENGTH)
      // An input longer than any password judged cannot be leaned on past that length: bound it (romanising is the costly step).
      const raw = userInputs.map((input) => String(input).slice(0, MAX_LENGTH))
      const key = raw.join('\u0000')
      if (holder.inputs.key !== key) holder.inputs = inputsFor(raw, key)
      holder.password = judged
      holder.template = null
      const result = factory.check(judged, holder.inputs.words)
      const template = holder.template
      holder.password = null
      return {category: (word) => lexicon.get(word.toLowerCase())?.category, judged, result, template}
    },
  }
}
