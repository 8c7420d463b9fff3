// The strength model: zxcvbn-ts 4 scoring and matching with the dictionary pack (Chinese lists,
// zxcvbn-ts's common passwords and English words; word-index.ts does the dictionary matching) and
// three matchers of our own — people's names in pinyin (zhName), mobile numbers (zhMobile) and whole
// password templates (zhTemplate, see template.ts). Imported only by judge.ts, lazily: building it
// takes ~0.3 s and the audit never needs it.
import {type Matcher, MatcherBaseClass, type MatchExtended, type MatchOptions, Options, ZxcvbnFactory, type ZxcvbnResult} from '@zxcvbn-ts/core'

import {classifyDigits} from './digits.js'
import {KeyboardWalks} from './keyboard.js'
import {type InputWord, Lexicon, type WordCategory} from './lexicon.js'
import {Names} from './names.js'
import {type InputVariants, inputVariants, unitVariants} from './user-inputs.js'
import {parseTemplate, type Template, type TemplateModel} from './template.js'
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
  /** What each user input of the current check is (unit, region, person, account). */
  categories: Map<string, WordCategory>
}

function customMatchers(model: TemplateModel, index: WordIndex, holder: Holder): Record<string, Matcher> {
  const estimate = (match: MatchExtended): number => Number(match.guessesEstimate)
  const none = (): null => null
  // Our matches of pattern "dictionary" are scored by zxcvbn-ts's own dictionary scoring; these are never called.
  const unused = (): number => 0
  // One check hands the same user-input dictionary to every matcher: index it once.
  const seen = new WeakMap<object, UserWords | undefined>()
  const userWords = (options: MatchOptions): UserWords | undefined => {
    const ranked = options.userInputsOptions?.rankedDictionary
    if (!ranked) return undefined
    if (!seen.has(ranked)) seen.set(ranked, Object.keys(ranked).length > 0 ? new UserWords(ranked) : undefined)
    return seen.get(ranked)
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
  const inputs = new WeakMap<object, Map<string, InputWord> | undefined>()
  const inputsOf = (options: MatchOptions): Map<string, InputWord> | undefined => {
    const dict = options.userInputsOptions?.rankedDictionary
    if (!dict) return undefined
    if (!inputs.has(dict)) {
      const out = new Map<string, InputWord>()
      for (const [word, rank] of Object.entries(dict)) out.set(word, {category: holder.categories.get(word) ?? 'user', rank})
      inputs.set(dict, out.size > 0 ? out : undefined)
    }
    return inputs.get(dict)
  }

  class NameMatching extends MatcherBaseClass {
    match({password}: MatchOptions): MatchExtended[] {
      const lower = password.toLowerCase()
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
      const template = parseTemplate(model, password, inputsOf(options))
      // zxcvbn also runs the matchers on pieces (the base of a repeat): keep only the whole's reading.
      if (password === holder.password) holder.template = template
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
  const holder: Holder = {categories: new Map(), password: null, template: null}
  // No dictionaries of zxcvbn-ts's own: the matchers above answer from the index.
  const factory = new ZxcvbnFactory(
    {graphs: pack.graphs, l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS, maxLength: MAX_LENGTH},
    customMatchers(templateModel, index, holder),
  )
  const compound = new Set(pack.compoundSurnames)
  const unitInputs = unitVariants(unit)

  return {
    check(password, userInputs = []) {
      const judged = password.slice(0, MAX_LENGTH)
      const all: InputVariants[] = [...userInputs.map((raw) => inputVariants(raw, compound)), ...unitInputs]
      holder.categories = new Map()
      for (const group of all) for (const word of group.words) if (!holder.categories.has(word)) holder.categories.set(word, group.category)
      const inputs = [...holder.categories.keys()]
      holder.password = judged
      holder.template = null
      const result = factory.check(password, inputs)
      const template = holder.template
      holder.password = null
      return {category: (word) => lexicon.get(word.toLowerCase())?.category, judged, result, template}
    },
  }
}
