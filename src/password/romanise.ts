// Chinese text → the Latin strings people type for it: full pinyin and initials, without tones
// (石家庄 → shijiazhuang / sjz). ü is typed "v" on Chinese keyboards and "u" by many, so both.
import {pinyin} from 'pinyin-pro'

const HAN = /\p{Script=Han}/u

export const hasHan = (text: string): boolean => HAN.test(text)

/** Syllables of `text` without tones, ü as "v" (non-Chinese characters are kept as they are). */
export function syllables(text: string, options: {surname?: boolean} = {}): string[] {
  return pinyin(text, {nonZh: 'consecutive', surname: options.surname ? 'head' : 'off', toneType: 'none', type: 'array', v: true})
    .map((s) => s.toLowerCase().replaceAll(/[^a-z0-9]/g, ''))
    .filter((s) => s !== '')
}

/** Full pinyin and initials of `text`, each also with ü typed as "u" when it differs. */
export function romanise(text: string, options: {surname?: boolean} = {}): {full: string[]; initials: string} {
  const parts = syllables(text, options)
  const full = parts.join('')
  const initials = parts.map((p) => p[0]).join('')
  const variants = full.includes('v') ? [full, full.replaceAll('v', 'u')] : [full]
  return {full: variants, initials}
}

/** Every string a person's name is typed as: zhangwei, zw, weizhang, zhangw, wei. Surname-aware readings (单 → shan). */
export function nameVariants(name: string, compoundSurnames: ReadonlySet<string> = new Set()): string[] {
  const chars = [...name.trim()]
  if (chars.length === 0) return []
  if (!hasHan(name)) return [name.toLowerCase().replaceAll(/[^a-z0-9]/g, '')].filter((s) => s !== '')
  const parts = syllables(name, {surname: true})
  // Compound surnames (欧阳, 司马…: the dictionary pack lists them) take two syllables.
  const surnameLength = chars.length >= 3 && compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1
  const surname = parts.slice(0, surnameLength).join('')
  const given = parts.slice(surnameLength).join('')
  const initials = parts.map((p) => p[0]).join('')
  const out = [parts.join(''), initials, given + surname, surname + given.slice(0, 1), given]
  return unique(out.flatMap((s) => (s.includes('v') ? [s, s.replaceAll('v', 'u')] : [s])).filter((s) => s.length >= 2))
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)]
}
