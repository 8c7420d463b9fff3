// The message catalogues (messages/<lang>.json): every user-facing string lives there, not in code.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from '../config/package-root.js'
import type {Lang} from './lang.js'
import type {MessageKey} from './message-keys.js'

export type {MessageKey} from './message-keys.js'

export type Params = Record<string, number | string>
export type Catalogue = Record<string, string>

/** A message kept as its key and values, so each reader sees it in their own language. */
export interface LocalText {
  key: MessageKey
  params: Params
}

const cache = new Map<Lang, Catalogue>()

export function catalogue(lang: Lang): Catalogue {
  let found = cache.get(lang)
  if (!found) {
    found = JSON.parse(readFileSync(join(packageRoot(), 'messages', `${lang}.json`), 'utf8')) as Catalogue
    cache.set(lang, found)
  }
  return found
}

/** The text for `key` in `lang` with {name} placeholders filled; English, then the key itself, as fallbacks. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalogue(lang)[key] ?? catalogue('en')[key] ?? key
  return template.replaceAll(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/**
 * Whether the catalogues have `key`: for keys built from data (a table's label, a value's plain
 * name), which fall back to the raw text when there is none. Keys from typed parts need no check.
 */
export const hasMessage = (key: string): key is MessageKey => key in catalogue('en')

export interface Translate {
  (key: MessageKey, params?: Params): string
  readonly lang: Lang
}

export function translator(lang: Lang): Translate {
  return Object.assign((key: MessageKey, params?: Params) => t(lang, key, params), {lang})
}
