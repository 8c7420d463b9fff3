// `policy validate`'s account of a district policy against the default, one change per line.
import type {Lang} from '../i18n/lang.js'
import {translator} from '../i18n/messages.js'
import type {PolicyDiff, ValueChange} from './policy-diff.js'
import {isEmptyDiff} from './policy-diff.js'

/** A value is shown whole up to this many characters: a pattern list of 60 entries is not. */
const VALUE_MAX = 160
/** Lists longer than this are shown as what was added and removed. */
const SHORT_LIST = 6

const isText = (value: unknown): value is {en: string; zh: string} =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as {zh?: unknown}).zh === 'string' && typeof (value as {en?: unknown}).en === 'string'

export function renderDiff(diff: PolicyDiff, base: string, lang: Lang): string[] {
  const tr = translator(lang)
  if (isEmptyDiff(diff)) return [tr('policy.diff.none', {base})]
  // JSON quoting shows where a value starts and ends, and escapes control characters from the file.
  const show = (value: unknown): string => {
    if (value === undefined) return tr('policy.diff.absent')
    if (value === null) return tr('policy.diff.null')
    const text = JSON.stringify(isText(value) ? (lang === 'en' ? value.en : value.zh) : value)
    return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…` : text
  }
  const change = (key: 'policy.diff.meta' | 'policy.diff.variable', c: ValueChange<unknown>): string => {
    const {from, name, to} = c
    if (Array.isArray(from) && Array.isArray(to) && from.length + to.length > SHORT_LIST) {
      const added = to.filter((item) => !from.includes(item))
      const removed = from.filter((item) => !to.includes(item))
      return tr(`${key}.list`, {added: added.length > 0 ? show(added) : '—', name, removed: removed.length > 0 ? show(removed) : '—'})
    }
    return tr(key, {from: show(from), name, to: show(to)})
  }
  return [
    tr('policy.diff.heading', {base}),
    ...diff.meta.map((c) => change('policy.diff.meta', c)),
    ...diff.variables.map((c) => change('policy.diff.variable', c)),
    ...diff.checks.added.map((id) => tr('policy.diff.checkAdded', {id})),
    ...diff.checks.removed.map((id) => tr('policy.diff.checkRemoved', {id})),
    ...diff.checks.changed.map((c) => tr('policy.diff.checkChanged', {fields: c.fields.join(', '), id: c.id})),
  ]
}
