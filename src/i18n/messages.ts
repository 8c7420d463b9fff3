// The message catalogues (messages/<lang>.json): every user-facing string lives there, not in code.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from '../config/package-root.js'
import type {Lang} from './lang.js'

export type Params = Record<string, number | string>
export type Catalogue = Record<string, string>

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
export function t(lang: Lang, key: string, params: Params = {}): string {
  const template = catalogue(lang)[key] ?? catalogue('en')[key] ?? key
  return template.replaceAll(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export type Translate = (key: string, params?: Params) => string

export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    t(lang, key, params)
