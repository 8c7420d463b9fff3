// The dictionary pack: ranked word lists built from registry data by build-dictionary.ts and
// shipped as data/zh-dictionary.json — the Chinese lists, and one sorted index of every word the
// judge matches (Chinese lists, zxcvbn-ts's common passwords and English words) with the keyboard
// layouts, so that start-up is one JSON.parse (~60 ms) instead of importing and sorting the
// language packages (~0.6 s). Only the judge reads it.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from '../config/package-root.js'
import type {Graph} from './keyboard.js'
import type {IndexData} from './word-index.js'

export const ZH_PACK_SCHEMA = 'nm-guard/zh-dictionary@1'

export interface ZhLists {
  /** Provinces and prefecture-level cities: full pinyin and initials (hebei, hb, shijiazhuang, sjz). */
  regions: string[]
  /** County-level places (gaocheng, gaochengqu, gc, gcq). */
  counties: string[]
  surnames: string[]
  /** Whole given names (xiuying, zixuan). */
  givenNames: string[]
  /** Syllables of given names, most used first. */
  givenSyllables: string[]
  loveCodes: string[]
  /** Government departments and their usual abbreviations (zfb, xcb, wxb, zwgk). */
  departments: string[]
  /** New-media platforms and big Chinese brands (weixin, gzh, weibo, douyin, huawei). */
  platforms: string[]
  /** The published CSDN and 12306 top lists. */
  topPasswords: string[]
  /** Common Chinese words and phrases in pinyin (mima, nihao, zhongguo). */
  words: string[]
}

export interface ZhPack {
  schema: string
  sources: Record<string, string>
  compoundSurnames: string[]
  /** Every pinyin syllable (ü as v), for given names the pack has not seen. */
  syllables: string[]
  lists: ZhLists
  /** Every word matched, sorted: zxcvbn-ts's common passwords first, then the Chinese lists, then English. */
  index: IndexData
  /** zxcvbn-ts's QWERTY and keypad adjacency graphs. */
  graphs: Record<'keypad' | 'qwerty', Graph>
}

export const packFile = (): string => join(packageRoot(), 'data', 'zh-dictionary.json')

export function loadZhPack(file: string = packFile()): ZhPack {
  const pack = JSON.parse(readFileSync(file, 'utf8')) as ZhPack
  if (pack.schema !== ZH_PACK_SCHEMA) throw new Error(`${file}: not a ${ZH_PACK_SCHEMA} file`)
  return pack
}
