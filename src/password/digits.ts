// What a run of digits is, and how many guesses it costs an attacker who knows Chinese habits:
// love codes (5201314), repeats (888888), sequences (123456), dates (19880808, 880808, 0808),
// years (2023), mobile numbers (1[3-9] and nine digits), or just n digits (10^n).
export type DigitKind = 'date' | 'digits' | 'love' | 'mobile' | 'repeat' | 'sequence' | 'year'

export interface DigitClass {
  kind: DigitKind
  cost: number
}

const MIN_YEAR = 1940
const MAX_YEAR = 2039
const YEARS = MAX_YEAR - MIN_YEAR + 1
/** Days of the year × the years people are born in or write down. */
const DATE_COST = 366 * YEARS
// A mobile number is identity data: printed on the unit's contact lists, in leaked address books,
// bound to the account itself. A targeted attacker tries the staff's numbers, not 10^11 strings.
const MOBILE_COST = 1e6

const validDay = (month: number, day: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= 31
const isYear = (y: number): boolean => y >= MIN_YEAR && y <= MAX_YEAR

function isDate(s: string): boolean {
  const n = (a: number, b: number): number => Number(s.slice(a, b))
  if (s.length === 8) return (isYear(n(0, 4)) && validDay(n(4, 6), n(6, 8))) || (isYear(n(4, 8)) && (validDay(n(0, 2), n(2, 4)) || validDay(n(2, 4), n(0, 2))))
  if (s.length === 6) return validDay(n(2, 4), n(4, 6)) || (isYear(n(0, 4)) && validDay(n(4, 6), 1))
  if (s.length === 4) return validDay(n(0, 2), n(2, 4))
  return false
}

/** 123, 6543, 0123456789: each digit one more (or less) than the last. */
function isSequence(s: string): boolean {
  if (s.length < 3) return false
  const step = s.charCodeAt(1) - s.charCodeAt(0)
  if (step !== 1 && step !== -1) return false
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false
  return true
}

/** 666, 1212, 123123, 520520: a unit of 1–4 digits said at least twice (a single digit three times). */
function repeatUnit(s: string): number {
  for (let unit = 1; unit <= Math.min(4, s.length / 2); unit++) {
    if (s.length % unit !== 0 || (unit === 1 && s.length < 3)) continue
    const base = s.slice(0, unit)
    if (base.repeat(s.length / unit) === s) return unit
  }
  return 0
}

// When readings cost about the same, the more telling one names the run (0808 is a date more than a repeat).
const TELLING: DigitKind[] = ['love', 'mobile', 'date', 'year', 'sequence', 'repeat', 'digits']
const SAME_COST = 10

export function classifyDigits(s: string, loveCodes: ReadonlySet<string>): DigitClass {
  const found: DigitClass[] = [{cost: 10 ** s.length, kind: 'digits'}]
  if (loveCodes.has(s)) found.push({cost: 10, kind: 'love'})
  const unit = repeatUnit(s)
  if (unit > 0) found.push({cost: (unit === 1 ? 10 : 10 ** unit / 2) * s.length, kind: loveCodes.has(s.slice(0, unit)) ? 'love' : 'repeat'})
  if (isSequence(s)) found.push({cost: 20 * s.length, kind: 'sequence'})
  if (s.length === 4 && isYear(Number(s))) found.push({cost: YEARS, kind: 'year'})
  if (isDate(s)) found.push({cost: s.length === 4 ? 366 : DATE_COST, kind: 'date'})
  if (/^1[3-9]\d{9}$/.test(s)) found.push({cost: MOBILE_COST, kind: 'mobile'})
  const cost = Math.min(...found.map((c) => c.cost))
  const named = found.filter((c) => c.cost <= cost * SAME_COST).sort((a, b) => TELLING.indexOf(a.kind) - TELLING.indexOf(b.kind))[0] as DigitClass
  return {cost, kind: named.kind}
}
