// The top of the report, what a reader needs before the details: who and what was audited, the
// conclusion with its counts, and the scope (what applied, what could not be judged and why,
// what did not apply — the latter as one list, not a row per check).
import {formatLocalTime} from '../../i18n/local-time.js'
import type {Report} from '../build-report.js'
import {type Conclusion} from '../conclusion.js'
import {describeScope} from '../scope.js'
import type {HtmlContext} from './context.js'
import {type MessageKey} from '../../i18n/messages.js'

/** A value or, when there is none, a line to fill in by hand. */
const orBlank = (ctx: HtmlContext, values: string[]): string => (values.length > 0 ? ctx.e(values.join(ctx.tr('report.nameSeparator'))) : '<span class="blank"></span>')

export function metaTable(ctx: HtmlContext, report: Report): string {
  const {e, tr} = ctx
  const row = (label: MessageKey, value: string): string => `<tr><td>${e(tr(label))}</td><td>${value}</td></tr>`
  const h = report.host
  return `<table class="meta">
${row('html.unit', report.unit ? ctx.text(report.unit) : '—')}
${row('html.host', `${e(h.hostname)} (${e(h.os_name)} ${e(h.os_version)}, ${e(h.arch)})`)}
${row('html.asset', orBlank(ctx, report.asset ? [report.asset] : []))}
${row('html.pcUser', orBlank(ctx, report.people?.pc_users ?? []))}
${row('html.custodians', orBlank(ctx, report.people?.custodians ?? []))}
${row('html.date', e(formatLocalTime(report.generated_at)))}
${row('html.policy', `${ctx.text(report.policy.title)} — ${e(report.policy.id)} ${e(report.policy.version)} <span class="id">sha256 ${e(report.policy.sha256.slice(0, 16))}…</span>`)}
${row('html.reportId', `<span class="id">${e(report.report_id)}</span>`)}
</table>`
}

export function conclusionBox(ctx: HtmlContext, conclusion: Conclusion): string {
  const {e, tr} = ctx
  const c = conclusion.counts
  const counts = tr('conclusion.counts', {error: c.error, fail: c.fail, na: c.not_applicable, pass: c.pass})
  return `<div class="conclusion ${e(conclusion.verdict)}" id="conclusion">${e(tr('conclusion.label'))}<span class="verdict">${e(tr(`conclusion.${conclusion.verdict}`))}</span><div>${e(counts)}</div></div>`
}

export function scopeBlock(ctx: HtmlContext, report: Report): string {
  const {e, tr} = ctx
  const scope = describeScope(report.results, tr)
  const clauses = scope.clauses.map((c) => c.id).join(tr('report.nameSeparator'))
  const parts = [`<h2>${e(tr('scope.heading'))}</h2>`, `<p>${e(tr('scope.checked', {clauses, count: scope.checked}))}</p>`]
  if (scope.unjudged.length === 0) parts.push(`<p>${e(tr('scope.allJudged'))}</p>`)
  else {
    const items = scope.unjudged.map((u) => `<li>${ctx.text(u.title)}${e(tr('report.itemSeparator'))}${u.reasons.map((r) => ctx.rich(r)).join(e(tr('report.reasonSeparator')))}</li>`)
    parts.push(`<p>${e(tr('scope.unjudged', {count: scope.unjudged.length}))}</p><ul>${items.join('')}</ul>`)
  }
  const naCount = scope.notApplicable.reduce((n, g) => n + g.titles.length, 0)
  if (naCount === 0) parts.push(`<p>${e(tr('scope.allApplied'))}</p>`)
  else {
    const items = scope.notApplicable.map((g) => `<li>${g.why.map((w) => ctx.rich(w)).join(e(tr('report.reasonSeparator')))}${e(tr('report.itemSeparator'))}${g.titles.map((t) => ctx.text(t)).join(e(tr('report.nameSeparator')))}</li>`)
    parts.push(`<p>${e(tr('scope.notApplicable', {count: naCount}))}</p><ul>${items.join('')}</ul>`)
  }
  return `<section class="scope">${parts.join('\n')}</section>`
}
