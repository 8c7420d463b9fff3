// The details: one table per clause of the checks that applied (not-applicable ones are listed
// once in the scope block), with the evidence and, where something is wrong, the remediation.
import type {Report} from '../build-report.js'
import {describeEvidence} from '../describe-evidence.js'
import {groupByClause} from '../group-by-clause.js'
import type {HtmlContext} from './context.js'

export function resultSections(ctx: HtmlContext, report: Report): string[] {
  const {e, tr} = ctx
  const applied = report.results.filter((r) => r.status !== 'not_applicable')
  return groupByClause(applied).map((group) => {
    const rows = group.items.map((r) => {
      const evidence = describeEvidence(r, tr)
        .map((line) => `<div>${ctx.rich(line)}</div>`)
        .join('')
      const fix = r.status === 'fail' || r.status === 'error' ? ctx.text(r.remediation) : ''
      return `<tr><td class="status ${e(r.status)}">${e(tr(`status.${r.status}`))}</td><td>${e(tr(`severity.${r.severity}`))}</td><td>${ctx.text(r.title)}<div class="id">${e(r.id)}</div></td><td class="evidence">${evidence}</td><td>${fix}</td></tr>`
    })
    return `<h2>${e(group.clause.id)} ${ctx.rich(group.clause.text)}</h2>
<table class="results"><colgroup><col class="status"><col class="severity"><col class="check"><col class="evidence"><col class="remediation"></colgroup><thead><tr><th>${e(tr('html.status'))}</th><th>${e(tr('html.severity'))}</th><th>${e(tr('html.check'))}</th><th>${e(tr('html.evidence'))}</th><th>${e(tr('html.remediation'))}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`
  })
}
