// What attackers' mangling rules (hashcat's best64 and the like) do to a word list of templates, so
// that the template reader can undo it: a character or a short decoration added at either end
// (Gaocheng@2023x, !Zfb@123), case changed anywhere (gAOCHENG@2023), l33t letters (G@ocheng,
// zh4ngwei), a separator put inside a word or a number (gao.cheng2023). Each undoing has a cost in
// guesses — how many rule applications an attacker spends to reach it — that the reading adds to
// the template's own. Pure functions: template.ts runs them inside its reading.

/** Bit flags of what a reading undid (a word may be both l33t and oddly cased). */
export const MUTATION = {affix: 1, case: 2, l33t: 4, separator: 8} as const
export type MutationKind = keyof typeof MUTATION

export const mutationKinds = (mask: number): MutationKind[] => (Object.keys(MUTATION) as MutationKind[]).filter((k) => (mask & MUTATION[k]) !== 0)

// The short decorations rule sets append or prepend first (best64's $!, $1, $1$2$3, ^!…).
const KNOWN_AFFIXES: ReadonlySet<string> = new Set(['!', '.', '@', '#', '*', '?', '~', '$', '!!', '!!!', '..', '...', '!@#', '123', 'abc', 'qwe', '1', '12', '01', '00', '11'])
const KNOWN_AFFIX_COST = 20
// The symbols people add (shifted digits, punctuation next to them).
const AFFIX_SYMBOLS = '!@#$%^&*.?~_-+='
const LETTER_COST = 52
const DIGIT_COST = 10
const SYMBOL_COST = AFFIX_SYMBOLS.length + 1
export const MAX_AFFIX = 3

/**
 * Guesses for `token` as a decoration added at one end: a known one, or 1–3 characters of digits,
 * common symbols and at most one letter. Null when it is not such a decoration.
 */
export function affixCost(token: string): number | null {
  if (token.length === 0 || token.length > MAX_AFFIX) return null
  if (KNOWN_AFFIXES.has(token.toLowerCase())) return KNOWN_AFFIX_COST * (/[A-Z]/.test(token) ? 2 : 1)
  let cost = 1
  let letters = 0
  for (const c of token) {
    if (/[a-z]/i.test(c)) {
      letters++
      cost *= LETTER_COST
    } else if (/[0-9]/.test(c)) cost *= DIGIT_COST
    else if (AFFIX_SYMBOLS.includes(c)) cost *= SYMBOL_COST
    else return null
  }
  return letters <= 1 ? cost : null
}

/** Guesses for a case pattern no habit explains (gAOCHENG, zhAngwei): which letters were toggled, ×2 for the direction. */
export function anyCaseCost(token: string): number | null {
  let letters = 0
  let upper = 0
  for (const c of token) {
    if (!/[a-z]/i.test(c)) continue
    letters++
    if (c !== c.toLowerCase()) upper++
  }
  if (letters === 0) return null
  return 2 * binomial(letters, Math.min(upper, letters - upper))
}

function binomial(n: number, k: number): number {
  let out = 1
  for (let x = 1; x <= k; x++) out = (out * (n - k + x)) / x
  return out
}

// The l33t table attackers' rules use; "1" stands for l or i, so two readings.
const L33T: Record<string, string> = {$: 's', '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a'}
const L33T_ONE_ALT = 'l'

/**
 * The lower-cased password read with every l33t character as its letter (one reading per meaning of
 * "1"), same length as the password; none when it has no l33t character. Where a span of a reading
 * differs from the password, the span was l33t.
 */
export class L33tView {
  /** Substituted characters and real letters before each index, to cost a span in O(1). */
  private readonly subs: Int32Array
  private readonly letters: Int32Array

  constructor(
    lower: string,
    readonly text: string,
  ) {
    this.subs = new Int32Array(lower.length + 1)
    this.letters = new Int32Array(lower.length + 1)
    for (let k = 0; k < lower.length; k++) {
      const c = lower.charCodeAt(k)
      this.subs[k + 1] = (this.subs[k] as number) + (c === text.charCodeAt(k) ? 0 : 1)
      this.letters[k + 1] = (this.letters[k] as number) + (c >= 97 && c <= 122 ? 1 : 0)
    }
  }

  /** Guesses for reading span [i, j) through l33t: 2 per substituted character; null if none is, or too many to be a word. */
  cost(i: number, j: number): number | null {
    const subs = (this.subs[j] as number) - (this.subs[i] as number)
    const letters = (this.letters[j] as number) - (this.letters[i] as number)
    // A word, not a number read as letters (2023 → zoze): two real letters at least, and no more substitutions than letters.
    if (subs === 0 || letters < 2 || subs > letters) return null
    return 2 ** subs
  }
}

export function l33tViews(lower: string): L33tView[] {
  if (!/[$013457@]/.test(lower)) return []
  // Code unit by code unit: every substitution is one unit for one, so indices stay the password's.
  const read = (one: string): L33tView => new L33tView(lower, lower.replaceAll(/[$013457@]/g, (c) => (c === '1' ? one : (L33T[c] as string))))
  return lower.includes('1') ? [read(L33T['1'] as string), read(L33T_ONE_ALT)] : [read(L33T['1'] as string)]
}

// Separators rules insert inside a word or a number (gao.cheng, 20.23, zhang_wei).
const INSERTED = '@._-#*'
const MAX_INSERTIONS = 3

export interface Unseparated {
  base: string
  /** log10 of the guesses to put the separators back: position × character for each. */
  log10: number
}

/**
 * The password without separators that stand inside a letter run or a digit run: once without all
 * of them (at most three), and once without each when there are several. Between a letter and a
 * digit a separator is part of the template itself (Gcq@2023) and stays.
 */
export function unseparated(password: string): Unseparated[] {
  const at: number[] = []
  const kind = (c: string | undefined): string => (c === undefined ? '' : /[a-z]/i.test(c) ? 'a' : /[0-9]/.test(c) ? '0' : '')
  for (let k = 1; k + 1 < password.length && at.length < MAX_INSERTIONS; k++) {
    const before = kind(password[k - 1])
    if (INSERTED.includes(password[k] as string) && before !== '' && before === kind(password[k + 1])) at.push(k)
  }
  if (at.length === 0) return []
  const each = Math.log10(password.length * INSERTED.length)
  const without = (positions: number[]): string => password.split('').filter((_, k) => !positions.includes(k)).join('')
  const out: Unseparated[] = [{base: without(at), log10: each * at.length}]
  if (at.length > 1) for (const k of at) out.push({base: without([k]), log10: each})
  return out
}
