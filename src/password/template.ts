// The shapes Chinese users build passwords from (passwords-zh.md): a word — a place, a unit, a
// name, a platform, a love code, a common password — or a keyboard walk, with a year, a date or a
// short number, an optional separator and capital: Gcq@2023, zhangwei19880808, woaini1314,
// 1qaz@WSX, Admin@123. parseTemplate finds the cheapest way to read the WHOLE password as such a
// template, or null. Its cost is an estimate of the attacker's guesses for that reading.
// parseDecorated reads the same templates after undoing what attackers' mangling rules add
// (decorations.ts): Gaocheng@2023x, Zhangwei@0315a!, G@ocheng2023, gao.cheng2023.
import {affixCost, anyCaseCost, type L33tView, l33tViews, MAX_AFFIX, MUTATION, type MutationKind, mutationKinds, unseparated} from './decorations.js'
import {classifyDigits, type DigitKind} from './digits.js'
import {foldCase, NON_ASCII} from './fold.js'
import type {KeyboardWalks} from './keyboard.js'
import type {InputWord, Lexicon, WordCategory} from './lexicon.js'
import type {Names} from './names.js'

export type PartKind = 'affix' | 'digits' | 'letters' | 'name' | 'symbols' | 'walk' | 'word'

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
  /** Read by parseDecorated: what was undone, and the string the parts index (the password less inserted separators). */
  decorated?: {base: string; kinds: MutationKind[]}
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
/**
 * A decorated reading counts up to 10^13 guesses, the template's and the rules' together: one order
 * under a plain reading's bound, as the rules let more strings read as a template. On generated sets
 * (bench/password-sets.ts, four seeds, 4,800 decorated templates and 8,000 strong passwords) a bound
 * of 10^12 missed 1.1% of the templates, 10^13 0.5%, 10^14 0.4%; each rejected at most 0.05% of the
 * strong passwords.
 */
export const DECORATED_MAX_LOG10 = 13

interface Candidate extends Part {
  letter: boolean
  open: boolean
  signal: boolean
  /** MUTATION bits this part undid. */
  mutations?: number
  /** log10 of cost, computed once per candidate rather than once per state it extends. */
  weight?: number
}

interface ReadMode {
  /** Leave out listed common passwords, to say what one is made of. */
  explain: boolean
  /** Undo attackers' rules: affixes at either end, any case, l33t words. */
  decorated: boolean
  /** l33t readings of the lower-cased password (decorated only). */
  views: readonly L33tView[]
}

const PLAIN: ReadMode = {decorated: false, explain: false, views: []}

// Limits on a template: at most two letter parts (of which one open-class word), three digit parts,
// two symbol runs, four keyboard walks; a short filler of letters (the a of a123456) only as the
// template's one letter part. A decorated reading adds at most one decoration at each end.
const LIMITS = {affixes: 2, digits: 3, filler: 1, letters: 2, open: 1, symbols: 2, walks: 4}

interface State {
  letters: number
  open: number
  filler: number
  digits: number
  symbols: number
  walks: number
  affixes: number
  mutations: number
  signal: boolean
  log10: number
  /** The last part and the state before it (a chain, not an array copied at every step). */
  part: Candidate | null
  prev: State | null
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

/** Guesses for a span's case; in a decorated reading any case (gAOCHENG), at the cost of the toggles. */
function caseOf(token: string, known: null | number, mode: ReadMode): null | {factor: number; mutations: number} {
  if (known !== null) return {factor: known, mutations: 0}
  const any = mode.decorated ? anyCaseCost(token) : null
  return any === null ? null : {factor: any, mutations: MUTATION.case}
}

function candidatesAt(model: TemplateModel, password: string, lower: string, i: number, userInputs: ReadonlyMap<string, InputWord> | undefined, mode: ReadMode): Candidate[] {
  const out: Candidate[] = []
  const n = password.length
  // Known words over any span (woaini, gcq, qq123456, 5201314); decorated, also read through l33t (g@ocheng).
  for (let j = i + 1; j <= Math.min(n, i + model.lexicon.maxLength); j++) {
    const plain = lower.slice(i, j)
    let shape: null | undefined | {factor: number; mutations: number}
    // The span as typed, then through each l33t reading that differs (no closure here: this loop is hot).
    for (let v = -1; v < mode.views.length; v++) {
      const view = v < 0 ? null : (mode.views[v] as L33tView)
      const l33t = view ? view.cost(i, j) : 1
      if (l33t === null) continue
      const word = view ? view.text.slice(i, j) : plain
      if (view && (word === plain || (v > 0 && word === (mode.views[v - 1] as L33tView).text.slice(i, j)))) continue
      const entry = model.lexicon.get(word, userInputs)
      if (!entry || (mode.explain && LISTED.has(entry.category))) continue
      const token = password.slice(i, j)
      if (shape === undefined) shape = caseOf(token, caseCost(token) ?? (capitalsAtSyllables(token, model.syllables) ? 4 : null), mode)
      if (shape === null) break
      const mutations = shape.mutations | (view ? MUTATION.l33t : 0)
      out.push({category: entry.category, cost: entry.rank * shape.factor * l33t, i, input: entry.input, j, kind: 'word', letter: LETTER.test(token), mutations, open: entry.open, signal: true})
    }
  }
  // Surname + given name (decorated, also through l33t: zh4ngwei).
  for (const view of [null, ...mode.views]) {
    const text = view?.text ?? lower
    if (!LETTER.test(text[i] as string)) continue
    for (const name of model.names.namesFrom(text, i)) {
      const l33t = view ? view.cost(i, name.end) : 1
      if (l33t === null) continue
      const token = password.slice(i, name.end)
      const shape = caseOf(token, caseCost(token, [name.givenAt - i]) ?? (capitalsAtSyllables(token, model.syllables) ? 8 : null), mode)
      if (shape === null) continue
      const mutations = shape.mutations | (view ? MUTATION.l33t : 0)
      out.push({cost: name.cost * shape.factor * l33t, i, j: name.end, kind: 'name', letter: true, mutations, open: true, signal: true})
    }
  }
  // A decoration a rule added at either end (the x of Gaocheng@2023x, the a! of Zhangwei@0315a!).
  if (mode.decorated) {
    for (let j = i + 1; j <= Math.min(n, i + MAX_AFFIX); j++) {
      if (i !== 0 && j !== n) continue
      const cost = affixCost(password.slice(i, j))
      if (cost !== null) out.push({cost, i, j, kind: 'affix', letter: false, mutations: MUTATION.affix, open: false, signal: false})
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
      const shape = caseOf(password.slice(i, j), caseCost(password.slice(i, j)), mode)
      if (shape !== null) out.push({cost: 26 ** (j - i) * shape.factor, i, j, kind: 'letters', letter: true, mutations: shape.mutations, open: false, signal: false})
    }
  }
  return out
}

function admit(state: State, c: Candidate): State | null {
  let {affixes, digits, filler, letters, open, symbols, walks} = state
  if (c.kind === 'affix') affixes++
  else if (c.kind === 'digits' || (c.kind === 'word' && !c.letter)) digits++
  else if (c.kind === 'symbols') symbols++
  else if (c.kind === 'walk' && !c.letter) walks++
  else {
    letters++
    if (c.open) open++
    if (c.kind === 'letters') filler++
  }
  const ok =
    letters <= (filler > 0 ? 1 : LIMITS.letters) &&
    open <= LIMITS.open &&
    filler <= LIMITS.filler &&
    digits <= LIMITS.digits &&
    symbols <= LIMITS.symbols &&
    walks <= LIMITS.walks &&
    affixes <= LIMITS.affixes
  if (!ok) return null
  c.weight ??= Math.log10(Math.max(1, c.cost))
  const signal = state.signal || c.signal
  return {affixes, digits, filler, letters, log10: state.log10 + c.weight, mutations: state.mutations | (c.mutations ?? 0), open, part: c, prev: state, signal, symbols, walks}
}

// One number per combination of counts (each within its limit, so the mixed radix is exact).
const stateKey = (s: State): number =>
  ((((((s.letters * 2 + s.open) * 2 + s.filler) * 4 + s.digits) * 3 + s.symbols) * 5 + s.walks) * 3 + s.affixes) * 2 + (s.signal ? 1 : 0)

const partsOf = (state: State): Candidate[] => {
  const out: Candidate[] = []
  for (let s: State | null = state; s?.part; s = s.prev) out.push(s.part)
  return out.reverse()
}

function parseWhole(model: TemplateModel, password: string, userInputs: ReadonlyMap<string, InputWord> | undefined, how: Partial<ReadMode> = {}): Template | null {
  const n = password.length
  const lower = foldCase(password)
  const mode: ReadMode = {...PLAIN, ...how, views: how.decorated ? l33tViews(lower) : []}
  const start: State = {affixes: 0, digits: 0, filler: 0, letters: 0, log10: 0, mutations: 0, open: 0, part: null, prev: null, signal: false, symbols: 0, walks: 0}
  const at: Array<Map<number, State>> = Array.from({length: n + 1}, () => new Map())
  at[0]?.set(stateKey(start), start)
  for (let i = 0; i < n; i++) {
    const states = at[i] as Map<number, State>
    if (states.size === 0) continue
    const candidates = candidatesAt(model, password, lower, i, userInputs, mode)
    for (const state of states.values()) {
      for (const c of candidates) {
        const next = admit(state, c)
        if (!next) continue
        const bucket = at[c.j] as Map<number, State>
        const key = stateKey(next)
        const known = bucket.get(key)
        if (!known || next.log10 < known.log10) bucket.set(key, next)
      }
    }
  }
  let best: State | null = null
  for (const s of (at[n] as Map<number, State>).values()) if (s.signal && (!best || s.log10 < best.log10)) best = s
  if (!best) return null
  const parts = partsOf(best).map(({category, cost, digitKind, i, input, j, kind}) => ({cost, i, j, kind, ...(category && {category}), ...(digitKind && {digitKind}), ...(input && {input})}))
  return {log10: best.log10 + Math.log10(2), parts, repeated: false, ...(mode.decorated && {decorated: {base: password, kinds: mutationKinds(best.mutations)}})}
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u

/**
 * A letter or digit outside ASCII that no known word or user input holds: only a word could take it
 * (names, walks, digits, fillers and decorations are ASCII; other characters read as symbols), so no
 * reading covers the password. Saves reading random Unicode position by position.
 */
function unreadable(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>): boolean {
  if (!NON_ASCII.test(password)) return false
  for (const c of foldCase(password)) {
    if (c.charCodeAt(0) < 0x80 || !LETTER_OR_NUMBER.test(c) || model.lexicon.holds(c)) continue
    if (userInputs && [...userInputs.keys()].some((word) => word.includes(c))) continue
    return true
  }
  return false
}

/** The cheapest template reading of the whole password, or null when there is none under 10^14 guesses. */
export function parseTemplate(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>): Template | null {
  if (password.length === 0 || password.length > TEMPLATE_MAX_LENGTH || unreadable(model, password, userInputs)) return null
  // Digits only (45% of the CSDN leak): every such password of up to 11 digits is tried by a mask attack.
  if (/^\d+$/.test(password) && password.length <= MAX_DIGITS_ONLY) {
    const digits = classifyDigits(password, model.loveCodes)
    // A reading in telling pieces (1988 0808, 520 1314) beats "n digits"; one with random pieces does not.
    const whole = parseWhole(model, password, userInputs)
    if (whole && whole.log10 < Math.log10(digits.cost) && whole.parts.every((p) => p.digitKind !== 'digits')) {
      const detail = whole.parts.some((p) => p.kind === 'word' && LISTED.has(p.category)) ? parseWhole(model, password, userInputs, {explain: true}) : null
      return detail ? {...whole, detail: detail.parts} : whole
    }
    return {log10: Math.log10(digits.cost), parts: [{cost: digits.cost, digitKind: digits.kind, i: 0, j: password.length, kind: 'digits'}], repeated: false}
  }
  const found = parseWhole(model, password, userInputs) ?? parseRepeated(model, password, userInputs)
  if (!found || found.log10 > TEMPLATE_MAX_LOG10) return null
  if (found.parts.some((p) => p.kind === 'word' && LISTED.has(p.category))) {
    const detail = parseWhole(model, password, userInputs, {explain: true})
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

/**
 * The cheapest reading of the whole password as a template that attackers' rules decorated
 * (decorations.ts): a decoration at either end, any case, l33t words, separators inside a word or
 * number. Null when there is none under DECORATED_MAX_LOG10 guesses. The work is bounded: at most
 * five readings (the password, and without up to three inserted separators), each one pass of the
 * template reader.
 */
export function parseDecorated(model: TemplateModel, password: string, userInputs?: ReadonlyMap<string, InputWord>): Template | null {
  if (password.length === 0 || password.length > TEMPLATE_MAX_LENGTH || unreadable(model, password, userInputs)) return null
  let best: Template | null = null
  for (const {base, log10} of [{base: password, log10: 0}, ...unseparated(password)]) {
    const found = parseWhole(model, base, userInputs, {decorated: true})
    if (!found) continue
    const total = found.log10 + log10
    if (total > DECORATED_MAX_LOG10 || (best && best.log10 <= total)) continue
    const kinds = log10 > 0 ? [...(found.decorated?.kinds ?? []), 'separator' as const] : (found.decorated?.kinds ?? [])
    best = {...found, decorated: {base, kinds}, log10: total}
  }
  if (best?.parts.some((p) => p.kind === 'word' && LISTED.has(p.category))) {
    const detail = parseWhole(model, best.decorated?.base ?? password, userInputs, {decorated: true, explain: true})
    if (detail) return {...best, detail: detail.parts}
  }
  return best
}
