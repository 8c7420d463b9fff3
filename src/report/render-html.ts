// A self-contained, printable HTML report: who and what was audited, the conclusion and scope on
// page 1, results grouped by clause with the remediation, and a sign-off that is never printed
// alone on a page. Every value is escaped.
import type {Lang} from '../i18n/lang.js'
import {formatLocalTime} from '../i18n/local-time.js'
import {translator} from '../i18n/messages.js'
import type {Report} from './build-report.js'
import {conclude} from './conclusion.js'
import {htmlContext} from './html/context.js'
import {conclusionBox, metaTable, scopeBlock} from './html/cover.js'
import {resultSections} from './html/results.js'
import {reportStyle} from './html/style.js'

export function renderHtml(report: Report, lang: Lang): string {
  const tr = translator(lang)
  const ctx = htmlContext(lang, tr)
  const {e} = ctx
  const conclusion = conclude(report.results)
  const c = conclusion.counts
  const title = tr('html.title', {host: report.host.hostname})
  const unit = report.unit ? (lang === 'zh-CN' ? report.unit.zh : report.unit.en) : ''
  const header = [unit, report.host.hostname, formatLocalTime(report.generated_at).slice(0, 10)].filter(Boolean).join(' · ')
  const recap = tr('conclusion.line', {counts: tr('conclusion.counts', {error: c.error, fail: c.fail, na: c.not_applicable, pass: c.pass}), verdict: tr(`conclusion.${conclusion.verdict}`)})
  const score = report.summary.score === null ? '—' : `${Math.round(report.summary.score * 100)}%`
  return `<!DOCTYPE html>
<html lang="${lang === 'zh-CN' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${e(title)}</title><style>${reportStyle(ctx, header)}</style></head>
<body>
<h1>${e(title)}</h1>
${metaTable(ctx, report)}
${conclusionBox(ctx, conclusion)}
${scopeBlock(ctx, report)}
${resultSections(ctx, report).join('\n')}
<div class="closing" id="closing"><p>${e(recap)} ${e(tr('html.score', {score}))}</p>
<div class="signoff"><div>${e(tr('html.signInspector'))}</div><div>${e(tr('html.signLeader'))}</div><div>${e(tr('html.signDate'))}</div></div></div>
</body></html>
`
}
