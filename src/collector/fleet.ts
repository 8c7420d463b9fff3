// What the admin sees: one line per agent with its latest report, and the CSV export.
import {encodeCursor} from './report-cursor.js'
import {type AgentIncident, type AgentResponse, CSV_COLUMNS, type FleetAgent} from './protocol.js'
import type {AgentSummary, CollectorStore, ExportPeriod, IncidentRow, LatestIncident, ReportCursor, ReportExportRow, ReportSummaryRow} from './store/types.js'

export const DEFAULT_STALE_DAYS = 3
const DAY_MS = 86_400_000

export function fleetAgent(agent: AgentSummary, latest: null | ReportSummaryRow | undefined, now: Date, staleDays: number, incident: LatestIncident | null = null): FleetAgent {
  // Never reported: counted from enrollment, so a fresh agent is not stale on day one.
  const since = Date.parse(latest?.received_at ?? agent.enrolled_at)
  const isolated = incident?.event === 'isolated'
  return {
    agent_id: agent.agent_id,
    hostname: agent.hostname,
    last_report_at: latest?.generated_at ?? null,
    last_seen: agent.last_seen,
    score: latest?.score ?? null,
    failing: latest?.failing ?? [],
    stale: agent.revoked_at === null && now.getTime() - since > staleDays * DAY_MS,
    revoked: agent.revoked_at !== null,
    isolated,
    isolated_since: isolated ? (incident?.at ?? null) : null,
  }
}

export async function fleet(store: CollectorStore, now: Date, staleDays: number): Promise<FleetAgent[]> {
  return (await store.listAgentsWithLatest()).map(({agent, incident, latest}) => fleetAgent(agent, latest, now, staleDays, incident))
}

export function agentIncident(row: IncidentRow): AgentIncident {
  const {agent_id: _agentId, ...incident} = row
  return incident
}

/** Reports one agent page shows: the newest, then `older` pages on. */
export const AGENT_REPORTS_PAGE = 100

export async function agentDetail(store: CollectorStore, agentId: string, now: Date, staleDays: number, before?: ReportCursor): Promise<AgentResponse | null> {
  const agent = await store.getAgent(agentId)
  if (!agent) return null
  const [page, newestPage, incidents] = await Promise.all([
    store.listReportSummaries(agentId, {before, limit: AGENT_REPORTS_PAGE}),
    // The fleet line shows the agent's newest report, whichever page is shown.
    before ? store.listReportSummaries(agentId, {limit: 1}) : null,
    store.listIncidents(agentId),
  ])
  const newest = incidents[0]
  return {
    agent: fleetAgent(agent, (newestPage ?? page).reports[0], now, staleDays, newest ? {at: newest.at, event: newest.event} : null),
    reports: page.reports.map((r) => ({report_id: r.report_id, generated_at: r.generated_at, score: r.score, failing: r.failing})),
    incidents: incidents.map(agentIncident),
    older: page.older ? encodeCursor(page.older) : null,
  }
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`

/** Rows as CSV lines, without the header. */
function csvLines(rows: ReportExportRow[]): string {
  let text = ''
  for (const r of rows) text += `${[r.report_id, r.agent_id, r.hostname, r.generated_at, r.score === null ? '' : String(r.score), r.failing.join(';')].map(csvField).join(',')}\r\n`
  return text
}

export function toCsv(rows: ReportExportRow[]): string {
  return CSV_HEADER + csvLines(rows)
}

/**
 * The CSV export as chunks: the header, then one per page the store reads. A handler that writes
 * each chunk out (waiting on 'drain') holds one page at a time, however many reports there are.
 */
export async function* csvChunks(store: CollectorStore, period: ExportPeriod = {}): AsyncGenerator<string> {
  yield CSV_HEADER
  for await (const page of store.exportReports(period)) yield csvLines(page)
}

/** The whole CSV export in memory: only for callers that do not write csvChunks out yet. */
export async function csvText(store: CollectorStore, period: ExportPeriod = {}): Promise<string> {
  let text = ''
  for await (const chunk of csvChunks(store, period)) text += chunk
  return text
}
