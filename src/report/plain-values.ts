// Fact rows in plain words: each table and column has a label in the catalogues (fact.<table>,
// column.<table>.<column>), yes/no for booleans, and coded values (accept, ifeo, content-match…)
// their own wording (value.<table>.<column>.<code>) where one exists.
import {tableSpec} from '../facts/registry.js'
import type {Cell, Row} from '../facts/types.js'
import {formatLocalTime} from '../i18n/local-time.js'
import {hasMessage, type Translate} from '../i18n/messages.js'

/** Columns whose value names the row ("nftables", an SSID, an account): shown bare, first. */
const NAMING = new Set(['account', 'name', 'path', 'product', 'ssid'])

/** The catalogue's wording of a key built from data, or `fallback` (the raw text) when it has none. */
function wording(tr: Translate, key: string, fallback: string): string {
  return hasMessage(key) ? tr(key) : fallback
}

export const factLabel = (tr: Translate, fact: string): string => wording(tr, `fact.${fact}`, fact)

export const columnLabel = (tr: Translate, fact: string, column: string): string => wording(tr, `column.${fact}.${column}`, column)

export const platformLabel = (tr: Translate, platform: string): string => wording(tr, `platform.${platform}`, platform)

/** A policy variable by what it means ("批准的 Wi-Fi 网络"), not its name. */
export const variableLabel = (tr: Translate, name: string): string => wording(tr, `variable.${name}`, name)

function plainCode(tr: Translate, fact: string, column: string, code: string): string {
  const key = `value.${fact}.${column}.${code.toLowerCase()}`
  if (hasMessage(key)) return tr(key)
  // Codes that mean the same in every table (licence states, where a value was read).
  const shared = `value.${column}.${code.toLowerCase()}`
  if (hasMessage(shared)) return tr(shared)
  // Password reasons are one vocabulary wherever they appear (password check, account list, audit);
  // the few that quote a policy number have a number-free wording above.
  return column === 'weak_reasons' ? wording(tr, `password.reason.${code}`, code) : code
}

export function plainCell(tr: Translate, fact: string, column: string, value: Cell): string {
  if (typeof value === 'string' && tableSpec(fact)?.columns.find((c) => c.name === column)?.type === 'datetime') return formatLocalTime(value)
  if (typeof value === 'boolean') return tr(value ? 'value.yes' : 'value.no')
  if (Array.isArray(value)) return value.map((v) => plainCode(tr, fact, column, v)).join(tr('value.listSeparator'))
  if (typeof value === 'string') return plainCode(tr, fact, column, value)
  return String(value)
}

const isEmpty = (value: Cell | undefined): boolean => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)

/** "nftables（已启用：否，默认入站：允许）": the naming value bare, the rest labelled. */
export function describeRow(tr: Translate, fact: string, row: Row): string {
  const entries = Object.entries(row).filter(([, v]) => !isEmpty(v))
  const naming = entries.filter(([k]) => NAMING.has(k)).map(([k, v]) => plainCell(tr, fact, k, v))
  const rest = entries.filter(([k]) => !NAMING.has(k)).map(([k, v]) => tr('value.labelled', {label: columnLabel(tr, fact, k), value: plainCell(tr, fact, k, v)}))
  const details = rest.join(tr('value.fieldSeparator'))
  if (naming.length === 0) return details
  const name = naming.join(' ')
  return details ? tr('value.withDetails', {details, name}) : name
}
