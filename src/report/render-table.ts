// The terminal view: who and what, the conclusion and the scope first (not-applicable checks in one
// list), then results grouped by clause, a status mark and colour each, evidence and the fix under
// every check that is not passing, and the score at the end.
import {ux} from '@oclif/core'

import type {Lang} from '../i18n/lang.js'
import {formatLocalTime} from '../i18n/local-time.js'
import {translator} from '../i18n/messages.js'
import type {Status} from '../policy/evaluate.js'
import type {Report} from './build-report.js'
import {conclude, type Verdict} from './conclusion.js'
import {describeEvidence} from './describe-evidence.js'
import {groupByClause} from './group-by-clause.js'
import {describeScope} from './scope.js'

const MARK: Record<Status, string> = {error: '?', fail: '✗', not_applicable: '-', pass: '✓'}
const COLOUR: Record<Status, string> = {error: 'yellow', fail: 'red', not_applicable: 'dim', pass: 'green'}
const VERDICT_COLOUR: Record<Verdict, string> = {compliant: 'green', non_compliant: 'red', undetermined: 'yellow'}

export function renderTable(report: Report, lang: Lang, colour = true): string {
  const tr = translator(lang)
  const paint = (style: string, text: string): string => (colour ? ux.colorize(style, text) : text)
  const text = (value: {en: string; zh: string}): string => (lang === 'zh-CN' ? value.zh : value.en)
  const names = (list: string[] | undefined): string => (list && list.length > 0 ? list.join(tr('report.nameSeparator')) : tr('report.notRecorded'))
  const conclusion = conclude(report.results)
  const c = conclusion.counts
  const counts = tr('conclusion.counts', {error: c.error, fail: c.fail, na: c.not_applicable, pass: c.pass})
  const scope = describeScope(report.results, tr)
  const lines: string[] = [
    paint('bold', tr('report.heading', {host: report.host.hostname, policy: `${report.policy.id} ${report.policy.version}`})),
    tr('report.hostLine', {arch: report.host.arch, os: `${report.host.os_name} ${report.host.os_version}`, time: formatLocalTime(report.generated_at)}),
    tr('report.people', {asset: report.asset ?? tr('report.notRecorded'), custodians: names(report.people?.custodians), users: names(report.people?.pc_users)}),
    '',
    paint(VERDICT_COLOUR[conclusion.verdict], paint('bold', tr('conclusion.line', {counts, verdict: tr(`conclusion.${conclusion.verdict}`)}))),
    tr('scope.checked', {clauses: scope.clauses.map((cl) => cl.id).join(tr('report.nameSeparator')), count: scope.checked}),
  ]
  if (scope.unjudged.length > 0) lines.push(tr('scope.unjudged', {count: scope.unjudged.length}))
  for (const u of scope.unjudged) lines.push(`  ${paint(COLOUR.error, MARK.error)} ${text(u.title)}${tr('report.itemSeparator')}${u.reasons.join(tr('report.reasonSeparator'))}`)
  const naCount = scope.notApplicable.reduce((n, g) => n + g.titles.length, 0)
  if (naCount > 0) lines.push(tr('scope.notApplicable', {count: naCount}))
  for (const g of scope.notApplicable) {
    lines.push(`  ${MARK.not_applicable} ${paint('dim', `${g.why.join(tr('report.reasonSeparator'))}${tr('report.itemSeparator')}${g.titles.map(text).join(tr('report.nameSeparator'))}`)}`)
  }
  for (const group of groupByClause(report.results.filter((r) => r.status !== 'not_applicable'))) {
    lines.push('', paint('bold', `${group.clause.id}  ${group.clause.text}`))
    for (const result of group.items) {
      const status = tr(`status.${result.status}`)
      const head = `  ${paint(COLOUR[result.status], `${MARK[result.status]} ${status}`)}  [${tr(`severity.${result.severity}`)}] ${text(result.title)}  ${paint('dim', result.id)}`
      lines.push(head)
      if (result.status === 'pass') continue
      for (const line of describeEvidence(result, tr)) lines.push(`      ${paint('dim', line)}`)
      lines.push(`      ${tr('report.fix')}: ${text(result.remediation)}`)
    }
  }
  const s = report.summary
  const score = s.score === null ? '—' : `${Math.round(s.score * 100)}%`
  lines.push('', paint('bold', tr('report.summary', {error: s.error, fail: s.fail, na: s.not_applicable, pass: s.pass, score})))
  return lines.join('\n')
}
