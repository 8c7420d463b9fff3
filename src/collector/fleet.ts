// What the admin sees: one line per agent with its latest report, and the CSV export.
import {type AgentIncident, type AgentResponse, CSV_COLUMNS, type FleetAgent} from './protocol.js'
import type {AgentSummary, CollectorStore, IncidentRow, LatestIncident, ReportExportRow, ReportSummaryRow} from './store/types.js'

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

export async function agentDetail(store: CollectorStore, agentId: string, now: Date, staleDays: number): Promise<AgentResponse | null> {
  const agent = await store.getAgent(agentId)
  if (!agent) return null
  const [reports, incidents] = await Promise.all([store.listReports(agentId), store.listIncidents(agentId)])
  const newest = incidents[0]
  return {
    agent: fleetAgent(agent, reports[0], now, staleDays, newest ? {at: newest.at, event: newest.event} : null),
    reports: reports.map((r) => ({report_id: r.report_id, generated_at: r.generated_at, score: r.score, failing: r.failing})),
    incidents: incidents.map(agentIncident),
  }
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function toCsv(rows: ReportExportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of rows) lines.push([r.report_id, r.agent_id, r.hostname, r.generated_at, r.score === null ? '' : String(r.score), r.failing.join(';')].map(csvField).join(','))
  return `${lines.join('\r\n')}\r\n`
}
