// A self-contained, printable HTML report: unit, host, date, results grouped by clause with the
// remediation, and a sign-off line for the responsible leader. Every value is escaped.
import escapeHtml from 'escape-html'

import type {Lang} from '../i18n/lang.js'
import {formatLocalTime} from '../i18n/local-time.js'
import {translator} from '../i18n/messages.js'
import type {Report} from './build-report.js'
import {describeEvidence} from './describe-evidence.js'
import {groupByClause} from './group-by-clause.js'

const STYLE = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.1em;border-bottom:1px solid #999;margin-top:1.6em}
table.meta td{padding:.1em 1em .1em 0}table.results{border-collapse:collapse;width:100%;table-layout:fixed}
col.status{width:5.5em}col.severity{width:4em}col.check{width:26%}col.remediation{width:24%}
table.results th,table.results td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
.status{font-weight:bold;white-space:nowrap}.pass{color:#16702e}.fail{color:#b3141b}.error{color:#8a5a00}.not_applicable{color:#777}
.evidence{font-size:.9em;color:#444}.id{font-family:monospace;font-size:.85em;color:#666}
.summary{font-size:1.1em;margin:1em 0;padding:.6em;border:2px solid #444}
.signoff{margin-top:3em;display:flex;gap:4em}.signoff div{flex:1;border-top:1px solid #222;padding-top:.3em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
`

export function renderHtml(report: Report, lang: Lang): string {
  const tr = translator(lang)
  const e = (value: unknown): string => escapeHtml(String(value))
  const text = (value: {en: string; zh: string}): string => e(lang === 'zh-CN' ? value.zh : value.en)
  const s = report.summary
  const score = s.score === null ? '—' : `${Math.round(s.score * 100)}%`
  const sections = groupByClause(report.results).map((group) => {
    const rows = group.items.map((r) => {
      const evidence = describeEvidence(r, tr).map((line) => `<div>${e(line)}</div>`).join('')
      const fix = r.status === 'fail' || r.status === 'error' ? text(r.remediation) : ''
      return `<tr><td class="status ${e(r.status)}">${e(tr(`status.${r.status}`))}</td><td>${e(tr(`severity.${r.severity}`))}</td><td>${text(r.title)}<div class="id">${e(r.id)}</div></td><td class="evidence">${evidence}</td><td>${fix}</td></tr>`
    })
    return `<h2>${e(group.clause.id)} ${e(group.clause.text)}</h2>
<table class="results"><colgroup><col class="status"><col class="severity"><col class="check"><col class="evidence"><col class="remediation"></colgroup><thead><tr><th>${e(tr('html.status'))}</th><th>${e(tr('html.severity'))}</th><th>${e(tr('html.check'))}</th><th>${e(tr('html.evidence'))}</th><th>${e(tr('html.remediation'))}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`
  })
  return `<!DOCTYPE html>
<html lang="${lang === 'zh-CN' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${e(tr('html.title', {host: report.host.hostname}))}</title><style>${STYLE}</style></head>
<body>
<h1>${e(tr('html.title', {host: report.host.hostname}))}</h1>
<table class="meta">
<tr><td>${e(tr('html.unit'))}</td><td>${report.unit ? text(report.unit) : '—'}</td></tr>
<tr><td>${e(tr('html.host'))}</td><td>${e(report.host.hostname)} (${e(report.host.os_name)} ${e(report.host.os_version)}, ${e(report.host.arch)})</td></tr>
<tr><td>${e(tr('html.date'))}</td><td>${e(formatLocalTime(report.generated_at))}</td></tr>
<tr><td>${e(tr('html.policy'))}</td><td>${text(report.policy.title)} — ${e(report.policy.id)} ${e(report.policy.version)} <span class="id">sha256 ${e(report.policy.sha256.slice(0, 16))}…</span></td></tr>
<tr><td>${e(tr('html.reportId'))}</td><td class="id">${e(report.report_id)}</td></tr>
</table>
<div class="summary">${e(tr('report.summary', {error: s.error, fail: s.fail, na: s.not_applicable, pass: s.pass, score}))}</div>
${sections.join('\n')}
<div class="signoff"><div>${e(tr('html.signInspector'))}</div><div>${e(tr('html.signLeader'))}</div><div>${e(tr('html.signDate'))}</div></div>
</body></html>
`
}
