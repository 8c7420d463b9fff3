// Why a password is weak, as stable codes with both languages' words from the message catalogues
// (password.reason.<code>). Codes are what reports and the conf store keep; the words are for people.
import {t} from '../i18n/messages.js'
import type {Part, Template} from './template.js'
import type {WeakReason} from './types.js'
import type {WordCategory} from './lexicon.js'

export const REASON_CODES = [
  'decorated-template',
  'user-input',
  'place-year',
  'unit-year',
  'name-date',
  'love-code',
  'keyboard-walk',
  'common-password',
  'place-name',
  'unit-name',
  'person-name',
  'pinyin-word',
  'dictionary-word',
  'date',
  'mobile-number',
  'repeat',
  'sequence',
  'digits-only',
  'predictable',
  'too-short',
  'few-classes',
  'unjudged',
  'too-long',
  'not-text',
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

export function weakReason(code: ReasonCode, params: Record<string, number | string> = {}): WeakReason {
  const key = `password.reason.${code}` as const
  return {code, en: t('en', key, params), zh: t('zh-CN', key, params)}
}

const order = (codes: Iterable<ReasonCode>): ReasonCode[] => [...new Set(codes)].sort((a, b) => REASON_CODES.indexOf(a) - REASON_CODES.indexOf(b))

type Kind = 'common' | 'love' | 'person' | 'place' | 'unit' | 'user' | 'word'

const CATEGORY_KIND: Record<WordCategory, Kind> = {
  common: 'common',
  person: 'person',
  unit: 'unit',
  county: 'place',
  department: 'unit',
  given: 'person',
  love: 'love',
  platform: 'unit',
  region: 'place',
  surname: 'person',
  top: 'common',
  user: 'user',
  word: 'word',
}

/** The reasons a template reading gives: a place with a number is place-year, a name with a date name-date… */
export function templateReasons(template: Template, judged: string): ReasonCode[] {
  const kinds = new Set<Kind>()
  const codes: ReasonCode[] = []
  // A decorated reading's parts index the password less the separators it undid.
  const password = template.decorated?.base ?? judged
  if (template.decorated) codes.push('decorated-template')
  let dated = false
  let numbered = false
  // What a listed common password is made of adds its walks, love codes and digit shapes, not
  // guesses at words inside it (the "min" of admin is no surname).
  const detail = (template.detail ?? []).filter((p) => p.kind === 'walk' || p.kind === 'digits' || p.category === 'love')
  for (const part of [...template.parts, ...detail]) {
    if (part.kind === 'word' && part.category) kinds.add(CATEGORY_KIND[part.category])
    if (part.input) kinds.add('user')
    if (part.kind === 'name') kinds.add('person')
    if (part.kind === 'walk') codes.push('keyboard-walk')
    if (part.kind !== 'affix' && /\d/.test(password.slice(part.i, part.j))) numbered = true
    if (part.kind === 'digits') {
      codes.push(...digitReasons(part))
      if (part.digitKind === 'date' || part.digitKind === 'year') dated = true
    }
  }
  if (kinds.has('user')) codes.push('user-input')
  if (kinds.has('love')) codes.push('love-code')
  if (kinds.has('common')) codes.push('common-password')
  if (kinds.has('word')) codes.push('pinyin-word')
  if (kinds.has('place')) codes.push(numbered ? 'place-year' : 'place-name')
  if (kinds.has('unit')) codes.push(numbered ? 'unit-year' : 'unit-name')
  if (kinds.has('person')) codes.push(dated ? 'name-date' : 'person-name')
  // A date said on its own (or after a word that already explains it) is still a date.
  if (dated && !kinds.has('person') && !kinds.has('place') && !kinds.has('unit')) codes.push('date')
  if (/^\d+$/.test(password)) codes.push('digits-only')
  return order(codes)
}

function digitReasons(part: Part): ReasonCode[] {
  switch (part.digitKind) {
    case 'love':
      return ['love-code']
    case 'mobile':
      return ['mobile-number']
    case 'repeat':
      return ['repeat']
    case 'sequence':
      return ['sequence']
    default:
      return []
  }
}

/** A zxcvbn-ts match, as far as reasons go. */
export interface SeenMatch {
  pattern: string
  dictionaryName?: string
  regexName?: string
  category?: WordCategory
}

const DICTIONARY_CODE: Record<Kind, ReasonCode> = {
  common: 'common-password',
  love: 'love-code',
  person: 'person-name',
  place: 'place-name',
  unit: 'unit-name',
  user: 'user-input',
  word: 'pinyin-word',
}

/** Reasons from the matches zxcvbn-ts used for its estimate, when no template reads the whole password. */
export function sequenceReasons(matches: readonly SeenMatch[]): ReasonCode[] {
  const codes: ReasonCode[] = []
  for (const m of matches) {
    switch (m.pattern) {
      case 'dictionary':
        if (m.dictionaryName === 'userInputs') codes.push('user-input')
        else if (m.category) codes.push(DICTIONARY_CODE[CATEGORY_KIND[m.category]])
        else if (m.dictionaryName?.startsWith('passwords')) codes.push('common-password')
        else codes.push('dictionary-word')
        break
      case 'spatial':
        codes.push('keyboard-walk')
        break
      case 'repeat':
        codes.push('repeat')
        break
      case 'sequence':
        codes.push('sequence')
        break
      case 'date':
      case 'regex':
        codes.push('date')
        break
      case 'zhMobile':
        codes.push('mobile-number')
        break
      case 'zhName':
        codes.push('person-name')
        break
      default:
        break
    }
  }
  return order(codes)
}
