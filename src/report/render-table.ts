// The terminal view: results grouped by clause, a status mark and colour each, evidence and the
// fix under every check that is not passing, and the score at the end.
import {ux} from '@oclif/core'

import type {Lang} from '../i18n/lang.js'
import {formatLocalTime} from '../i18n/local-time.js'
import {translator} from '../i18n/messages.js'
import type {Status} from '../policy/evaluate.js'
import type {Report} from './build-report.js'
import {describeEvidence} from './describe-evidence.js'
import {groupByClause} from './group-by-clause.js'

const MARK: Record<Status, string> = {error: '?', fail: '✗', not_applicable: '-', pass: '✓'}
const COLOUR: Record<Status, string> = {error: 'yellow', fail: 'red', not_applicable: 'dim', pass: 'green'}

export function renderTable(report: Report, lang: Lang, colour = true): string {
  const tr = translator(lang)
  const paint = (style: string, text: string): string => (colour ? ux.colorize(style, text) : text)
  const text = (value: {en: string; zh: string}): string => (lang === 'zh-CN' ? value.zh : value.en)
  const lines: string[] = [
    paint('bold', tr('report.heading', {host: report.host.hostname, policy: `${report.policy.id} ${report.policy.version}`})),
    tr('report.hostLine', {arch: report.host.arch, os: `${report.host.os_name} ${report.host.os_version}`, time: formatLocalTime(report.generated_at)}),
  ]
  for (const group of groupByClause(report.results)) {
    lines.push('', paint('bold', `${group.clause.id}  ${group.clause.text}`))
    for (const result of group.items) {
      const status = tr(`status.${result.status}`)
      const head = `  ${paint(COLOUR[result.status], `${MARK[result.status]} ${status}`)}  [${tr(`severity.${result.severity}`)}] ${text(result.title)}  ${paint('dim', result.id)}`
      lines.push(head)
      if (result.status === 'pass') continue
      for (const line of describeEvidence(result, tr)) lines.push(`      ${paint('dim', line)}`)
      if (result.status === 'fail' || result.status === 'error') lines.push(`      ${tr('report.fix')}: ${text(result.remediation)}`)
    }
  }
  const s = report.summary
  const score = s.score === null ? '—' : `${Math.round(s.score * 100)}%`
  lines.push('', paint('bold', tr('report.summary', {error: s.error, fail: s.fail, na: s.not_applicable, pass: s.pass, score})))
  return lines.join('\n')
}
