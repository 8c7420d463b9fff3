// HTML for the dashboard, built with a tagged template that escapes every interpolated value unless
// it is already SafeHtml: escaping is the default, so a forgotten escape cannot happen.
import escapeHtml from 'escape-html'

import type {Lang} from '../../i18n/lang.js'
import {type MessageKey, type Params, t as translate} from '../../i18n/messages.js'
import type {AgentIncident, AgentResponse, FleetAgent} from '../protocol.js'

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Part = Part[] | SafeHtml | null | number | string | undefined

function render(part: Part): string {
  if (part === null || part === undefined) return ''
  if (part instanceof SafeHtml) return part.value
  if (Array.isArray(part)) return part.map(render).join('')
  return escapeHtml(String(part))
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] as string
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] as string)
  })
  return new SafeHtml(out)
}

export interface PageContext {
  lang: Lang
  /** The current path and query without `lang`, for the language toggle. */
  path: string
  query: URLSearchParams
  /** Present when logged in: the logout form needs it. */
  csrf?: string
}

export const tr = (ctx: PageContext, key: MessageKey, params?: Params): string => translate(ctx.lang, key, params)

/** The same page in the other language. */
function langHref(ctx: PageContext, lang: Lang): string {
  const query = new URLSearchParams(ctx.query)
  query.set('lang', lang)
  return `${ctx.path}?${query.toString()}`
}

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  const other: Lang = ctx.lang === 'en' ? 'zh-CN' : 'en'
  const nav = ctx.csrf
    ? html`<nav><a href="/dashboard">${tr(ctx, 'dashboard.navFleet')}</a><a href="/dashboard/clauses">${tr(ctx, 'dashboard.navClauses')}</a><a href="/dashboard/export.csv">${tr(ctx, 'dashboard.navCsv')}</a>
<form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit">${tr(ctx, 'dashboard.logout')}</button></form></nav>`
    : null
  return `<!doctype html>\n${html`<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · nm-guard</title><link rel="stylesheet" href="/dashboard/style.css"></head>
<body><header><h1>${tr(ctx, 'dashboard.title')}</h1>${nav}<a class="lang" href="${langHref(ctx, other)}">${tr(ctx, 'dashboard.otherLang')}</a></header>
<main><h2>${title}</h2>${body}</main></body></html>`.value}\n`
}

export function loginPage(ctx: PageContext, csrf: string, error?: string): string {
  return layout(
    ctx,
    tr(ctx, 'dashboard.loginTitle'),
    html`${error ? html`<p class="error" role="alert">${error}</p>` : null}
<form method="post" action="/dashboard/login" class="login"><input type="hidden" name="csrf" value="${csrf}">
<label>${tr(ctx, 'dashboard.tokenLabel')} <input type="password" name="token" autocomplete="off" required></label>
<button type="submit">${tr(ctx, 'dashboard.login')}</button></form>`,
  )
}

const percent = (score: null | number): string => (score === null ? '—' : `${Math.round(score * 100)}%`)
const when = (iso: null | string): string => (iso === null ? '—' : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))

export interface FleetRow extends FleetAgent {
  /** Clause ids (四(二)-7 …) of the failing checks in the latest report. */
  failingClauses: string[]
}

function clauseLinks(clauses: string[]): SafeHtml {
  return html`${clauses.map((c) => html`<a class="clause" href="/dashboard?clause=${encodeURIComponent(c)}">${c}</a> `)}`
}

export function fleetPage(ctx: PageContext, rows: FleetRow[], clause: null | string, staleDays: number): string {
  const filter = clause ? html`<p class="filter">${tr(ctx, 'dashboard.filteredBy', {clause})} <a href="/dashboard">${tr(ctx, 'dashboard.clearFilter')}</a></p>` : null
  const body = rows.length === 0
    ? html`${filter}<p>${tr(ctx, 'dashboard.noAgents')}</p>`
    : html`${filter}<p class="note">${tr(ctx, 'dashboard.staleNote', {days: staleDays})}</p>
<table><thead><tr><th>${tr(ctx, 'dashboard.colHost')}</th><th>${tr(ctx, 'dashboard.colScore')}</th><th>${tr(ctx, 'dashboard.colFailing')}</th><th>${tr(ctx, 'dashboard.colClauses')}</th><th>${tr(ctx, 'dashboard.colLastReport')}</th><th>${tr(ctx, 'dashboard.colLastSeen')}</th><th>${tr(ctx, 'dashboard.colState')}</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr class="${[r.stale ? 'stale' : r.revoked ? 'revoked' : '', r.isolated ? 'isolated' : ''].filter(Boolean).join(' ')}"><td><a class="host" href="/dashboard/agents/${encodeURIComponent(r.agent_id)}">${r.hostname}</a><div class="id">${r.agent_id}</div></td>
<td class="num">${percent(r.score)}</td><td>${r.failing.join(', ') || '—'}</td><td>${clauseLinks(r.failingClauses)}</td><td class="when">${when(r.last_report_at)}</td><td class="when">${when(r.last_seen)}</td>
<td class="when">${r.revoked ? tr(ctx, 'dashboard.revoked') : r.stale ? tr(ctx, 'dashboard.stale') : tr(ctx, 'dashboard.ok')}${isolatedMark(ctx, r)}</td></tr>\n`,
)}</tbody></table>`
  return layout(ctx, clause ? tr(ctx, 'dashboard.clauseTitle', {clause}) : tr(ctx, 'dashboard.fleetTitle'), body)
}

/** The isolation badge (issue 5): the PC was cut off the network and not yet reconnected. */
function isolatedMark(ctx: PageContext, agent: FleetAgent): null | SafeHtml {
  if (!agent.isolated) return null
  const since = agent.isolated_since === null ? null : html`<div class="since">${tr(ctx, 'dashboard.isolatedSince', {since: when(agent.isolated_since)})}</div>`
  return html`<div class="isolated">${tr(ctx, 'dashboard.isolated')}</div>${since}`
}

function incidentTable(ctx: PageContext, incidents: AgentIncident[]): SafeHtml {
  if (incidents.length === 0) return html`<h3>${tr(ctx, 'dashboard.incidentsTitle')}</h3><p>${tr(ctx, 'dashboard.noIncidents')}</p>`
  return html`<h3>${tr(ctx, 'dashboard.incidentsTitle')}</h3>
<table class="incidents"><thead><tr><th>${tr(ctx, 'dashboard.colAt')}</th><th>${tr(ctx, 'dashboard.colEvent')}</th><th>${tr(ctx, 'dashboard.colMethod')}</th><th>${tr(ctx, 'dashboard.colReason')}</th><th>${tr(ctx, 'dashboard.colEvidence')}</th><th>${tr(ctx, 'dashboard.colIncident')}</th></tr></thead><tbody>
${incidents.map(
  (i) => html`<tr class="${i.event}"><td class="when">${when(i.at)}</td><td>${tr(ctx, i.event === 'isolated' ? 'dashboard.eventIsolated' : 'dashboard.eventReconnected')}</td><td>${i.method ?? '—'}</td><td>${i.reason ?? '—'}</td><td class="id">${i.evidence_sha256 ?? '—'}</td><td class="id">${i.incident_id}</td></tr>\n`,
)}</tbody></table>`
}

export function agentPage(ctx: PageContext, {agent, incidents, older, reports}: AgentResponse): string {
  // One page of history at a time (the newest 100): a PC reporting daily for years stays one small page.
  const more = older === null ? null : html`<p class="more"><a href="/dashboard/agents/${encodeURIComponent(agent.agent_id)}?before=${encodeURIComponent(older)}">${tr(ctx, 'dashboard.olderReports')}</a></p>`
  return layout(
    ctx,
    tr(ctx, 'dashboard.agentTitle', {host: agent.hostname}),
    html`<p class="id">${agent.agent_id}</p>${isolatedMark(ctx, agent)}
<table><thead><tr><th>${tr(ctx, 'dashboard.colGenerated')}</th><th>${tr(ctx, 'dashboard.colScore')}</th><th>${tr(ctx, 'dashboard.colFailing')}</th><th>${tr(ctx, 'dashboard.colReport')}</th></tr></thead><tbody>
${reports.map((r) => html`<tr><td class="when">${when(r.generated_at)}</td><td class="num">${percent(r.score)}</td><td>${r.failing.join(', ') || '—'}</td><td class="id">${r.report_id}</td></tr>\n`)}</tbody></table>
${more}${incidentTable(ctx, incidents)}`,
  )
}

export interface ClauseSummary {
  id: string
  text: string
  failing: number
}

export function clausesPage(ctx: PageContext, clauses: ClauseSummary[]): string {
  return layout(
    ctx,
    tr(ctx, 'dashboard.clausesTitle'),
    clauses.length === 0
      ? html`<p>${tr(ctx, 'dashboard.noReports')}</p>`
      : html`<table><thead><tr><th>${tr(ctx, 'dashboard.colClause')}</th><th>${tr(ctx, 'dashboard.colClauseText')}</th><th>${tr(ctx, 'dashboard.colFailingPcs')}</th></tr></thead><tbody>
${clauses.map((c) => html`<tr class="${c.failing > 0 ? 'failing' : ''}"><td>${clauseLinks([c.id])}</td><td>${c.text}</td><td class="num">${c.failing}</td></tr>\n`)}</tbody></table>`,
  )
}

export function messagePage(ctx: PageContext, title: string, text: string): string {
  return layout(ctx, title, html`<p>${text}</p>`)
}

/** Served as /dashboard/style.css: the CSP allows styles from 'self' only, never inline. */
export const STYLE_CSS = `
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1f2933;background:#f5f7fa}
header{display:flex;align-items:center;gap:1.5rem;padding:.8rem 2rem;background:#9b1c1c;color:#fff}
header h1{font-size:1.2rem;margin:0;flex:1}
header a,header button{color:#fff;text-decoration:none;margin-right:1rem;font:inherit}
nav{display:flex;align-items:center}nav form{display:inline;margin:0}
nav button{background:transparent;border:1px solid #fff;border-radius:4px;padding:.2rem .7rem;cursor:pointer}
main{padding:1.5rem 2rem}h2{font-size:1.1rem;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.1)}
th,td{padding:.55rem .8rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#eef1f5;font-weight:600;white-space:nowrap}td.when{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.stale td{color:#b91c1c;background:#fef2f2}tr.isolated td{background:#fff7e6}
.isolated{display:inline-block;margin-top:.2rem;padding:.05rem .45rem;border-radius:3px;background:#b45309;color:#fff;font-weight:600}.since{font-size:.8rem;color:#92400e}
h3{font-size:1rem;margin:1.2rem 0 .6rem}tr.revoked td{color:#7b8794;text-decoration:line-through}
.id{font-family:ui-monospace,monospace;font-size:.75rem;color:#7b8794}
a.clause{display:inline-block;padding:.05rem .45rem;margin:.1rem;border-radius:3px;background:#fde8e8;color:#9b1c1c;text-decoration:none}
.error{color:#b91c1c;font-weight:600}.note,.filter{color:#52606d}
form.login{display:flex;gap:.8rem;align-items:center;background:#fff;padding:1.2rem;max-width:42rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
form.login input{padding:.4rem;min-width:20rem}form.login button{padding:.4rem 1rem}
`
