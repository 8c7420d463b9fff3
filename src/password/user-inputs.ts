// What the judge is told about the account and the unit, as the strings a person would type: a
// custodian 张伟 → zhangwei, zw, weizhang, zhangw; the unit 石家庄市藁城区人民政府办公室 with region
// [河北省, 石家庄市, 藁城区] → shijiazhuang, sjz, gaocheng, gcq, renminzhengfu, rmzf, bangongshi…
import {placeParts, placeWords} from './places.js'
import {hasHan, nameVariants, romanise, syllables, unique} from './romanise.js'
import type {WordCategory} from './lexicon.js'
import type {UnitContext} from './types.js'

/** Typed forms of one input, and what they stand for. */
export interface InputVariants {
  words: string[]
  category: WordCategory
}

const MIN_INPUT = 2

/** One user input (account, custodian, platform, contact) → its typed forms. */
export function inputVariants(raw: string, compoundSurnames: ReadonlySet<string>): InputVariants {
  const text = raw.trim()
  const out: string[] = []
  // Short Chinese text is a person's name (the custodian); longer text is romanised whole.
  const person = hasHan(text) && [...text].length <= 4
  if (hasHan(text)) {
    if (person) out.push(...nameVariants(text, compoundSurnames))
    const {full, initials} = romanise(text)
    out.push(...full, initials)
  }
  const lower = text.toLowerCase()
  out.push(lower, lower.replaceAll(/[^a-z0-9]/g, ''))
  // gc_wxb@163.com → gc, wxb, 163: the pieces an account name is made of.
  out.push(...lower.split(/[^a-z0-9]+/))
  return {category: person ? 'person' : 'user', words: unique(out.filter((s) => s.length >= MIN_INPUT && /[a-z0-9]/.test(s)))}
}

/** The unit's name and region → typed forms, region first (the likeliest to be used). */
export function unitVariants(unit: UnitContext | undefined): InputVariants[] {
  if (!unit) return []
  const region = unit.region ?? []
  const out: string[] = []
  const places = placeWords(region)
  const name = unit.unitName?.trim()
  if (name) {
    const whole = romanise(name)
    // The unit's own part of its name: without the region's names in front (人民政府办公室).
    let own = name
    for (const place of region) {
      const base = placeParts(place)?.base
      for (const prefix of unique([place, ...(base ? [base] : [])])) own = own.replace(prefix, '')
    }
    own = own.trim()
    if (own !== '' && own !== name) {
      const ownR = romanise(own)
      out.push(...ownR.full, ownR.initials)
    }
    // Its words: every 2–4 character piece (人民, 政府, 办公室…) in full pinyin, and the initials of
    // the 3–4 character ones (政府办 → zfb). pinyin-pro does not cut words, so all pieces are taken,
    // read from one romanisation of the whole (one pinyin-pro call, not forty).
    const chars = [...(own || name)]
    const readings = syllables(chars.join(''))
    if (chars.every((c) => hasHan(c)) && readings.length === chars.length) {
      for (let k = 0; k < chars.length; k++) {
        for (let len = 2; len <= 4 && k + len <= chars.length; len++) {
          const piece = readings.slice(k, k + len)
          out.push(...spellings(piece.join('')))
          if (len >= 3) out.push(piece.map((p) => p[0]).join(''))
        }
      }
    }
    out.push(...whole.full, whole.initials)
  }
  const long = (words: string[]): string[] => unique(words.filter((s) => s.length >= MIN_INPUT))
  return [
    {category: 'region', words: long([...places.full, ...places.initials])},
    {category: 'unit', words: long(out)},
  ]
}

const spellings = (s: string): string[] => (s.includes('v') ? [s, s.replaceAll('v', 'u')] : [s])
