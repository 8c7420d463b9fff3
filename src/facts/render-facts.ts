// Human view of a snapshot: per table its row count or why it is unavailable, and optionally rows.
import type {Lang} from '../i18n/lang.js'
import {translator} from '../i18n/messages.js'
import {describeReason} from '../report/describe-evidence.js'
import {tableReason} from './table-reason.js'
import type {Cell, FactsSnapshot} from './types.js'

const cell = (value: Cell): string => (Array.isArray(value) ? value.join(',') : value === null ? '—' : String(value))

export function renderFacts(facts: FactsSnapshot, lang: Lang, withRows: boolean): string {
  const tr = translator(lang)
  const h = facts.host
  const lines = [tr('facts.heading', {arch: h.arch, host: h.hostname, os: `${h.os_name} ${h.os_version}`, time: facts.collected_at})]
  for (const [name, table] of Object.entries(facts.tables)) {
    if ('error' in table) {
      lines.push(`  ${name}: ${tr('facts.unavailable', {reason: describeReason(tr, tableReason(name, table))})}`)
      continue
    }
    lines.push(`  ${name}: ${tr('facts.rows', {count: table.rows.length})}`)
    if (!withRows) continue
    for (const row of table.rows) {
      lines.push(`    ${Object.entries(row).map(([k, v]) => `${k}=${cell(v)}`).join('  ')}`)
    }
  }
  return lines.join('\n')
}
