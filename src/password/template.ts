// The shapes Chinese users build passwords from (passwords-zh.md): a word — a place, a unit, a
// name, a platform, a love code, a common password — or a keyboard walk, with a year, a date or a
// short number, an optional separator and capital: Gcq@2023, zhangwei19880808, woaini1314,
// 1qaz@WSX, Admin@123. parseTemplate finds the cheapest way to read the WHOLE password as such a
// template, or null. Its cost is an estimate of the attacker's guesses for that reading.
import {classifyDigits, type DigitKind} from './digits.js'
import type {KeyboardWalks} from './keyboard.js'
import type {InputWord, Lexicon, WordCategory} from './lexicon.js'
import type {Names} from './names.js'

export type PartKind = 'digits' | 'letters' | 'name' | 'symbols' | 'walk' | 'word'

export interface Part {
  kind: PartKind
  i: number
  /** Exclusive end index. */
  j: number
  cost: number
  category?: WordCategory
  digitKind?: DigitKind
  /** The word is one of the user inputs. */
  input?: boolean
}

export interface Template {
  parts: Part[]
  /** log10 of the guesses for this reading. */
  log10: number
  /** The password is one shorter template said more than once (gc2023gc2023). */
  repeated: boolean
  /** When the reading uses listed common passwords (woaini1314, qwer1234): what they are made of, for the reasons. */
  detail?: Part[]
}

export interface TemplateModel {
  lexicon: Lexicon
  names: Names
  walks: KeyboardWalks
  loveCodes: ReadonlySet<string>
  /** Every pinyin syllable: capitals at syllable starts (ShiJiaZhuang) are a habit, not randomness. */
  syllables: ReadonlySet<string>
}

/** Past 10^14 guesses a reading is no longer "a template an attacker tries early". */
export const TEMPLATE_MAX_LOG10 = 14
/** Longer passwords are not read as templates (and cost too much to read). */
export const TEMPLATE_MAX_LENGTH = 40
const MAX_DIGITS_ONLY = 11

interface Candidate extends Part {
  letter: boolean
  open: boolean
  signal: boolean
}

// Limits on a template: at most two letter parts (of which one open-class word), three digit parts,
// two symbol runs, four keyboard walks; a short filler of letters (the a of a123456) only as the
// template's one letter part.
const LIMITS = {digits: 3, filler: 1, letters: 2, open: 1, symbols: 2, walks: 4}

interface State {
  letters: number
  open: number
  filler: number
  digits: number
  symbols: number
  walks: number
  signal: boolean
  log10: number
  parts: Candidate[]
}

const SYMBOL = /[^\p{L}\p{N}]/u
const DIGIT = /\d/
const LETTER = /[a-z]/i

/** Guesses for the case of a letter span: lower 1, Capitalised or UPPER 2, capitals at word starts 4. */
function caseCost(token: string, starts: readonly number[] = []): number | null {
  const upper: number[] = []
  let letters = 0
  for (let k = 0; k < token.length; k++) {
    const c = token[k] as string
    if (!LETTER.test(c)) continue
    letters++
    if (c !== c.toLowerCase()) upper.push(k)
  }
  if (upper.length === 0) return 1
  if (upper.length === letters || (upper.length === 1 && upper[0] === 0)) return 2
  return upper.every((k) => k === 0 || starts.includes(k)) ? 4 : null
}

const LISTED: ReadonlySet<WordCategory | undefined> = new Set(['common', 'top'])

/** Can `token` be cut into pinyin syllables so that every capital starts one (GaoCheng, ShiJiaZhuang)? */
function capitalsAtSyllables(token: string, syllables: ReadonlySet<string>): boolean {
  if (!/^[a-z]+$/i.test(token)) return false
  const lower = token.toLowerCase()
  const upper = (k: number): boolean => token[k] !== lower[k]
  const reach = [true, ...Array<boolean>(token.length).fill(false)]
  for (let k = 0; k < token.length; k++) {
    if (!reach[k]) continue
    for (let len = 1; len <= 6 && k + len <= token.length; len++) {
      let inside = false
      for (let x = k + 1; x < k + len; x++) inside ||= upper(x)
      if (inside) break
      if (syllables.has(lower.slice(k, k + len))) reach[k + len] = true
    }
  }
  return reach[token.length] === true
}

function candidatesAt(model: TemplateModel, password: string, lower: string, i: number, userInputs?: ReadonlyMap<string, InputWord>, explain = false): Candidate[] {
  const out: Candidate[] = []
  const n = password.length
  // Known words over any span (woaini, gcq, qq123456, 5201314).
  for (let j = i + 1; j <= Math.min(n, i + model.lexicon.maxLength); j++) {
    const entry = model.lexicon.get(lower.slice(i, j), userInputs)
    if (!entry || (explain && LISTED.has(entry.category))) continue
    const token = password.slice(i, j)
    const caseFactor = caseCost(token) ?? (capitalsAtSyllables(token, model.syllables) ? 4 : null)
    if (caseFactor === null) continue
    const letter = LETTER.test(token)
    out.push({category: entry.category, cost: entry.rank * caseFactor, i, input: entry.input, j, kind: 'word', letter, open: entry.open, signal: true})
  }
  // Surname + given name.
  if (LETTER.test(password[i] as string)) {
    for (const name of model.names.namesFrom(lower, i)) {
      const token = password.slice(i, name.end)
      const caseFactor = caseCost(token, [name.givenAt - i]) ?? (capitalsAtSyllables(token, model.syllables) ? 8 : null)
      if (caseFactor === null) continue
      out.push({cost: name.cost * caseFactor, i, j: name.end, kind: 'name', letter: true, open: true, signal: true})
    }
  }
  // A three-key walk with a letter in it (hui, ere, e32, 9ol) is as likely a syllable's end or
  // chance: it counts as a letter part, and a template holds only two of those.
  for (const walk of model.walks.walksFrom(password, i)) {
    const letter = walk.end - i <= 3 && /[a-z]/i.test(password.slice(i, walk.end))
    out.push({cost: walk.cost, i, j: walk.end, kind: 'walk', letter, open: false, signal: true})
  }
  const c = password[i] as string
  if (DIGIT.test(c)) {
    let end = i
    while (end < n && DIGIT.test(password[end] as string)) end++
    for (let j = i + 1; j <= Math.min(end, i + MAX_DIGITS_ONLY); j++) {
      const digits = classifyDigits(password.slice(i, j), model.loveCodes)
      if (digits.kind === 'digits' && j - i > 6) continue
      out.push({cost: digits.cost, digitKind: digits.kind, i, j, kind: 'digits', letter: false, open: false, signal: digits.kind !== 'digits'})
    }
  } else if (SYMBOL.test(c)) {
    for (let j = i + 1; j <= Math.min(n, i + 3) && SYMBOL.test(password[j - 1] as string); j++) {
      out.push({cost: 10 ** (j - i), i, j, kind: 'symbols', letter: false, open: false, signal: false})
    }
  } else if (LETTER.test(c)) {
    // A short run of letters that is no word (the "a" of a123456, the "Aa" of Aa123456).
    for (let j = i + 1; j <= Math.min(n, i + 3) && LETTER.test(password[j - 1] as string); j++) {
      const caseFactor = caseCost(password.slice(i, j))
      if (caseFactor !== null) out.push({cost: 26 ** (j - i) * caseFactor, i, j, kind: 'letters', letter: true, open: false, signal: false})
    }
  }
  return out
}

function admit(state: State, c: Candidate): State | null {
  const next: State = {...state, log10: state.log10 + Math.log10(Math.max(1, c.cost)), parts: [...state.parts, c], signal: state.signal || c.signal}
  if (c.kind === 'digits' || (c.kind === 'word' && !c.letter)) next.digits++
  else if (c.kind === 'symbols') next.symbols++
  else if (c.kind === 'walk' && !c.letter) next.walks++
  else {
    next.letters++
    if (c.open) next.open++
    if (c.kind === 'letters') next.filler++
  }
  const ok =
    next.letters <= (next.filler > 0 ? 1 : LIMITS.letters) &&
    next.open <= LIMITS.open &&
    next.filler <= LIMITS.filler &&
    next.digits <= LIMITS.digits &&
    next.symbols <= LIMITS.symbols &&
    next.walks <= LIMITS.walks
  return ok ? next : null
}

const stateKey = (s: State): string => `${s.letters}${s.open}${s.filler}${s.digits}${s.symbols}${s.walks}${s.signal ? 1 : 0}`

function parseWhole(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>, explain = false): Template | null {
  const n = password.length
  const lower = password.toLowerCase()
  const start: State = {digits: 0, filler: 0, letters: 0, log10: 0, open: 0, parts: [], signal: false, symbols: 0, walks: 0}
  const at: Array<Map<string, State>> = Array.from({length: n + 1}, () => new Map())
  at[0]?.set(stateKey(start), start)
  for (let i = 0; i < n; i++) {
    const states = at[i] as Map<string, State>
    if (states.size === 0) continue
    const candidates = candidatesAt(model, password, lower, i, userInputs, explain)
    for (const state of states.values()) {
      for (const c of candidates) {
        const next = admit(state, c)
        if (!next) continue
        const bucket = at[c.j] as Map<string, State>
        const key = stateKey(next)
        const known = bucket.get(key)
        if (!known || next.log10 < known.log10) bucket.set(key, next)
      }
    }
  }
  let best: State | null = null
  for (const s of (at[n] as Map<string, State>).values()) if (s.signal && (!best || s.log10 < best.log10)) best = s
  if (!best) return null
  const parts = best.parts.map(({category, cost, digitKind, i, input, j, kind}) => ({cost, i, j, kind, ...(category && {category}), ...(digitKind && {digitKind}), ...(input && {input})}))
  return {log10: best.log10 + Math.log10(2), parts, repeated: false}
}

/** The cheapest template reading of the whole password, or null when there is none under 10^14 guesses. */
export function parseTemplate(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>): Template | null {
  if (password.length === 0 || password.length > TEMPLATE_MAX_LENGTH) return null
  // Digits only (45% of the CSDN leak): every such password of up to 11 digits is tried by a mask attack.
  if (/^\d+$/.test(password) && password.length <= MAX_DIGITS_ONLY) {
    const digits = classifyDigits(password, model.loveCodes)
    // A reading in telling pieces (1988 0808, 520 1314) beats "n digits"; one with random pieces does not.
    const whole = parseWhole(model, password, userInputs)
    if (whole && whole.log10 < Math.log10(digits.cost) && whole.parts.every((p) => p.digitKind !== 'digits')) {
      const detail = whole.parts.some((p) => p.kind === 'word' && LISTED.has(p.category)) ? parseWhole(model, password, userInputs, true) : null
      return detail ? {...whole, detail: detail.parts} : whole
    }
    return {log10: Math.log10(digits.cost), parts: [{cost: digits.cost, digitKind: digits.kind, i: 0, j: password.length, kind: 'digits'}], repeated: false}
  }
  const found = parseWhole(model, password, userInputs) ?? parseRepeated(model, password, userInputs)
  if (!found || found.log10 > TEMPLATE_MAX_LOG10) return null
  if (found.parts.some((p) => p.kind === 'word' && LISTED.has(p.category))) {
    const detail = parseWhole(model, password, userInputs, true)
    if (detail) return {...found, detail: detail.parts}
  }
  return found
}

/** gcq2023gcq2023: the shortest unit that repeats to the whole, read as a template. */
function parseRepeated(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>): Template | null {
  const n = password.length
  for (let unit = 3; unit <= n / 2; unit++) {
    if (n % unit !== 0 || password.slice(0, unit).repeat(n / unit) !== password) continue
    const base = parseWhole(model, password.slice(0, unit), userInputs)
    return base && {...base, log10: base.log10 + Math.log10(n / unit), repeated: true}
  }
  return null
}
