// One repository interface for both databases, so the server and the tests never see SQL dialects.
import type {AgentIncident, IncidentEvent} from '../protocol.js'

export interface AgentRow {
  agent_id: string
  hostname: string
  cert_fingerprint: string
  cert_serial: string
  enrolled_at: string
  revoked_at: null | string
  last_seen: null | string
}

export interface TokenRow {
  hash: string
  expires_at: string
  uses_left: number
}

export interface ReportRow {
  report_id: string
  agent_id: string
  generated_at: string
  received_at: string
  score: null | number
  /** Ids of the checks that failed. */
  failing: string[]
  /** The report as received. */
  body: unknown
  /**
   * `body` as the JSON text it was parsed from, when the caller has it: stored as is, which
   * spares serialising a ~27 KB document again on the ingest path. Never returned by the store.
   */
  body_text?: string
  /**
   * Clause ids (四(二)-7 …) of the failing checks, when the caller worked them out from the body:
   * kept on the agent row for its newest report, so the dashboard never reads report bodies.
   */
  failing_clauses?: string[]
}

/** A report without its body: what the fleet overview needs. */
export type ReportSummaryRow = Omit<ReportRow, 'body' | 'body_text' | 'failing_clauses'>

export interface ReportExportRow extends ReportSummaryRow {
  hostname: string
}

/** What the fleet overview shows of an agent (no certificate details). */
export type AgentSummary = Pick<AgentRow, 'agent_id' | 'enrolled_at' | 'hostname' | 'last_seen' | 'revoked_at'>

export interface LatestReport extends ReportSummaryRow {
  /** Clauses of its failing checks; null when it was stored before the collector kept them (migration 3). */
  failing_clauses: null | string[]
}

/** An agent's latest incident event (by `at`). */
export interface LatestIncident {
  event: IncidentEvent
  at: string
}

export interface AgentWithLatest {
  agent: AgentSummary
  /** Its newest report (by generated_at), or null when it never reported. */
  latest: LatestReport | null
  /** Its newest incident notice, or null when it never sent one. */
  incident: LatestIncident | null
}

/** A clause id and its text as the reports state it (the dashboard's per-clause view). */
export interface ClauseRow {
  clause_id: string
  text: string
}

/** One stored incident notice (nm-guard/incident@1) without its body; `at` is normalised to toISOString(). */
export interface IncidentRow extends AgentIncident {
  agent_id: string
}

export interface CollectorStore {
  readonly kind: 'postgres' | 'sqlite'
  /** Creates or upgrades the tables; safe to run on every start. */
  migrate(): Promise<void>
  close(): Promise<void>
  insertToken(token: TokenRow): Promise<void>
  /**
   * In one transaction: takes one use of an unexpired token and records the agent. false (and
   * nothing written) when the token is unknown, used up or expired.
   */
  enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean>
  /**
   * Whether the token could enroll now (known, uses left, unexpired): a read, no use taken. The
   * enrollment handler asks before any work on the CSR, so a request without a token costs nothing.
   */
  tokenUsable(tokenHash: string, now: string): Promise<boolean>
  getAgent(agentId: string): Promise<AgentRow | null>
  listAgents(): Promise<AgentRow[]>
  /** false when there is no such agent. */
  revokeAgent(agentId: string, at: string): Promise<boolean>
  /** Stores a report and marks the agent seen; false when that report_id was stored before. */
  insertReport(report: ReportRow): Promise<boolean>
  /** Newest first (by generated_at). */
  listReports(agentId?: string): Promise<ReportRow[]>
  /** Every report with its agent's hostname, oldest first: the export. */
  exportReports(): Promise<ReportExportRow[]>
  /**
   * Every agent (by hostname) with its newest report, without report bodies: the fleet overview.
   * One join on a pointer kept up to date on insert, so it does not scan the reports table.
   */
  listAgentsWithLatest(): Promise<AgentWithLatest[]>
  getReport(reportId: string): Promise<null | ReportRow>
  /** Records clause texts (insert or update): called when a report names a clause not yet seen. */
  saveClauses(clauses: ClauseRow[]): Promise<void>
  listClauses(): Promise<ClauseRow[]>
  /**
   * Stores a notice (its JSON text as received in `bodyText`) and moves the agent's latest-incident
   * pointer when it is the newest; false when that notice_id was stored before.
   */
  insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean>
  /** An agent's incident notices, newest first (by at, then notice_id). */
  listIncidents(agentId: string): Promise<IncidentRow[]>
  /** The agent that sent this notice_id, or null: asked when a notice_id arrives twice. */
  incidentAgent(noticeId: string): Promise<null | string>
}

/** The same migrations run on both databases: plain SQL both dialects accept. */
export const MIGRATIONS: string[][] = [
  [
    `CREATE TABLE agents (
      agent_id TEXT PRIMARY KEY,
      hostname TEXT NOT NULL,
      cert_fingerprint TEXT NOT NULL,
      cert_serial TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      revoked_at TEXT,
      last_seen TEXT
    )`,
    `CREATE TABLE tokens (
      hash TEXT PRIMARY KEY,
      expires_at TEXT NOT NULL,
      uses_left INTEGER NOT NULL
    )`,
    `CREATE TABLE reports (
      report_id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL REFERENCES agents(agent_id),
      generated_at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      score DOUBLE PRECISION,
      failing TEXT NOT NULL,
      body TEXT NOT NULL
    )`,
    `CREATE INDEX reports_agent_generated ON reports (agent_id, generated_at)`,
  ],
  // The fleet overview read every report (bodies included) to find each agent's newest: seconds at
  // 10,000 agents × 30 reports. Even a join to each newest report costs 10,000 random reads of a
  // big table (100–250 ms), so each agent row carries its newest report's summary, kept on insert.
  [
    `ALTER TABLE agents ADD COLUMN latest_report_id TEXT`,
    `ALTER TABLE agents ADD COLUMN latest_generated_at TEXT`,
    `ALTER TABLE agents ADD COLUMN latest_received_at TEXT`,
    `ALTER TABLE agents ADD COLUMN latest_score DOUBLE PRECISION`,
    `ALTER TABLE agents ADD COLUMN latest_failing TEXT`,
    `UPDATE agents SET latest_report_id = (SELECT r.report_id FROM reports r WHERE r.agent_id = agents.agent_id ORDER BY r.generated_at DESC, r.report_id LIMIT 1)`,
    `UPDATE agents SET
      latest_generated_at = (SELECT r.generated_at FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_received_at = (SELECT r.received_at FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_score = (SELECT r.score FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_failing = (SELECT r.failing FROM reports r WHERE r.report_id = agents.latest_report_id)`,
    `CREATE INDEX agents_hostname ON agents (hostname, agent_id)`,
  ],
  // The dashboard read every report body to find each PC's failing clauses: the newest report's
  // clauses now live on the agent row (NULL for reports stored before: the dashboard then reads
  // that one report), and clause texts in their own small table.
  [`ALTER TABLE agents ADD COLUMN latest_failing_clauses TEXT`, `CREATE TABLE clauses (clause_id TEXT PRIMARY KEY, text TEXT NOT NULL)`],
  // Incident notices (isolated / reconnected, issue 5); the agent row points at its newest event.
  [
    `CREATE TABLE incidents (
      notice_id TEXT PRIMARY KEY,
      incident_id TEXT NOT NULL,
      agent_id TEXT NOT NULL REFERENCES agents(agent_id),
      event TEXT NOT NULL,
      at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      hostname TEXT NOT NULL,
      method TEXT,
      reason TEXT,
      evidence_sha256 TEXT,
      keep_collector INTEGER NOT NULL,
      body TEXT NOT NULL
    )`,
    `CREATE INDEX incidents_agent_at ON incidents (agent_id, at)`,
    `ALTER TABLE agents ADD COLUMN incident_event TEXT`,
    `ALTER TABLE agents ADD COLUMN incident_at TEXT`,
    `ALTER TABLE agents ADD COLUMN incident_notice_id TEXT`,
  ],
]

/** Statements shared by both backends, written with `?` placeholders (PostgreSQL's adapter numbers them). */
export const SQL = {
  migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
  appliedVersions: `SELECT version FROM schema_migrations`,
  recordMigration: `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
  insertToken: `INSERT INTO tokens (hash, expires_at, uses_left) VALUES (?, ?, ?)`,
  // Decrement only while usable: the WHERE makes "check and use" one atomic step.
  useToken: `UPDATE tokens SET uses_left = uses_left - 1 WHERE hash = ? AND uses_left > 0 AND expires_at > ?`,
  tokenUsable: `SELECT 1 AS usable FROM tokens WHERE hash = ? AND uses_left > 0 AND expires_at > ?`,
  insertAgent: `INSERT INTO agents (agent_id, hostname, cert_fingerprint, cert_serial, enrolled_at, revoked_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  getAgent: `SELECT * FROM agents WHERE agent_id = ?`,
  listAgents: `SELECT * FROM agents ORDER BY hostname, agent_id`,
  revokeAgent: `UPDATE agents SET revoked_at = COALESCE(revoked_at, ?) WHERE agent_id = ?`,
  insertReport: `INSERT INTO reports (report_id, agent_id, generated_at, received_at, score, failing, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_id) DO NOTHING`,
  touchAgent: `UPDATE agents SET last_seen = ? WHERE agent_id = ?`,
  // Params: report_id, generated_at, received_at, score, failing, then agent_id, generated_at, generated_at, report_id. Same order as
  // listReports (generated_at DESC, then report_id): the newest wins, a tie goes to the smaller id,
  // whatever order the reports arrive in. PostgreSQL re-checks the WHERE after waiting for a
  // concurrent update of the row, so two collectors cannot leave an older pointer behind.
  setLatest: `UPDATE agents SET latest_report_id = ?, latest_generated_at = ?, latest_received_at = ?, latest_score = ?, latest_failing = ?, latest_failing_clauses = ? WHERE agent_id = ? AND (latest_generated_at IS NULL OR latest_generated_at < ? OR (latest_generated_at = ? AND latest_report_id > ?))`,
  // Only the columns the overview shows, in LATEST_COLUMNS order, read as arrays (toAgentWithLatest).
  listAgentsWithLatest: `SELECT agent_id, hostname, enrolled_at, revoked_at, last_seen, latest_report_id, latest_generated_at, latest_received_at, latest_score, latest_failing, latest_failing_clauses, incident_event, incident_at FROM agents ORDER BY hostname, agent_id`,
  getReport: `SELECT * FROM reports WHERE report_id = ?`,
  incidentAgent: `SELECT agent_id FROM incidents WHERE notice_id = ?`,
  saveClause: `INSERT INTO clauses (clause_id, text) VALUES (?, ?) ON CONFLICT (clause_id) DO UPDATE SET text = excluded.text`,
  listClauses: `SELECT clause_id, text FROM clauses ORDER BY clause_id`,
  insertIncident: `INSERT INTO incidents (notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256, keep_collector, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notice_id) DO NOTHING`,
  // Params: event, at, notice_id, agent_id, at, at, notice_id: the same order as listIncidents.
  setIncident: `UPDATE agents SET incident_event = ?, incident_at = ?, incident_notice_id = ? WHERE agent_id = ? AND (incident_at IS NULL OR incident_at < ? OR (incident_at = ? AND incident_notice_id < ?))`,
  listIncidents: `SELECT notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256, keep_collector FROM incidents WHERE agent_id = ? ORDER BY at DESC, notice_id DESC`,
  listReports: `SELECT * FROM reports ORDER BY generated_at DESC, report_id`,
  listAgentReports: `SELECT * FROM reports WHERE agent_id = ? ORDER BY generated_at DESC, report_id`,
  exportReports: `SELECT r.report_id, r.agent_id, a.hostname, r.generated_at, r.received_at, r.score, r.failing FROM reports r JOIN agents a ON a.agent_id = r.agent_id ORDER BY r.generated_at, r.report_id`,
} as const

export function reportParams(r: ReportRow): unknown[] {
  return [r.report_id, r.agent_id, r.generated_at, r.received_at, r.score, JSON.stringify(r.failing), r.body_text ?? JSON.stringify(r.body)]
}

export const clausesParam = (r: ReportRow): null | string => (r.failing_clauses ? JSON.stringify(r.failing_clauses) : null)

export function latestParams(r: ReportRow): unknown[] {
  return [r.report_id, r.generated_at, r.received_at, r.score, JSON.stringify(r.failing), clausesParam(r), r.agent_id, r.generated_at, r.generated_at, r.report_id]
}

export function incidentParams(i: IncidentRow, bodyText: string): unknown[] {
  return [i.notice_id, i.incident_id, i.agent_id, i.event, i.at, i.received_at, i.hostname, i.method, i.reason, i.evidence_sha256, i.keep_collector ? 1 : 0, bodyText]
}

export function setIncidentParams(i: IncidentRow): unknown[] {
  return [i.event, i.at, i.notice_id, i.agent_id, i.at, i.at, i.notice_id]
}

export function agentParams(a: AgentRow): unknown[] {
  return [a.agent_id, a.hostname, a.cert_fingerprint, a.cert_serial, a.enrolled_at, a.revoked_at, a.last_seen]
}

/** A row as the drivers return it, keyed by column name. */
export type Raw = Record<string, unknown>

const text = (value: unknown): null | string => (value == null ? null : String(value))

export function toAgent(row: Raw): AgentRow {
  return {
    agent_id: String(row.agent_id),
    hostname: String(row.hostname),
    cert_fingerprint: String(row.cert_fingerprint),
    cert_serial: String(row.cert_serial),
    enrolled_at: String(row.enrolled_at),
    revoked_at: text(row.revoked_at),
    last_seen: text(row.last_seen),
  }
}

function toSummary(row: Raw): ReportSummaryRow {
  return {
    report_id: String(row.report_id),
    agent_id: String(row.agent_id),
    generated_at: String(row.generated_at),
    received_at: String(row.received_at),
    score: row.score == null ? null : Number(row.score),
    failing: JSON.parse(String(row.failing)) as string[],
  }
}

export function toReport(row: Raw): ReportRow {
  return {...toSummary(row), body: JSON.parse(String(row.body))}
}

export function toExportRow(row: Raw): ReportExportRow {
  const {agent_id, report_id, ...rest} = toSummary(row)
  // hostname third: the JSON export keeps the CSV's column order.
  return {report_id, agent_id, hostname: String(row.hostname), ...rest}
}

/**
 * Parses JSON id lists (failing checks, failing clauses), once per distinct text: across a fleet
 * most PCs fail the same few checks, and at 10,000 agents the overview's time went mostly to the
 * garbage collector, not to the query. The arrays are shared between agents: never mutate them.
 */
export class IdListCache {
  private readonly parsed = new Map<string, string[]>()

  get(text: unknown): string[] {
    const key = String(text)
    let list = this.parsed.get(key)
    if (!list) {
      list = JSON.parse(key) as string[]
      this.parsed.set(key, list)
    }
    return list
  }
}

/**
 * One row of SQL.listAgentsWithLatest read as an array (better-sqlite3 raw(), pg rowMode 'array'):
 * at 10,000 agents, building a keyed object per row and copying it into another was a third of
 * the overview's time. `lists` is shared by the rows of one listing.
 */
export function toAgentWithLatest(row: unknown[], lists: IdListCache = new IdListCache()): AgentWithLatest {
  const [agentId, hostname, enrolledAt, revokedAt, lastSeen, reportId, generatedAt, receivedAt, score, failing, clauses, event, eventAt] = row
  const agent_id = String(agentId)
  return {
    agent: {agent_id, hostname: String(hostname), enrolled_at: String(enrolledAt), revoked_at: text(revokedAt), last_seen: text(lastSeen)},
    latest:
      reportId == null
        ? null
        : {
            report_id: String(reportId),
            agent_id,
            generated_at: String(generatedAt),
            received_at: String(receivedAt),
            score: score == null ? null : Number(score),
            failing: lists.get(failing),
            failing_clauses: clauses == null ? null : lists.get(clauses),
          },
    incident: event === 'isolated' || event === 'reconnected' ? {event, at: String(eventAt)} : null,
  }
}

export function toIncident(row: Raw): IncidentRow {
  return {
    notice_id: String(row.notice_id),
    incident_id: String(row.incident_id),
    agent_id: String(row.agent_id),
    event: row.event === 'isolated' ? 'isolated' : 'reconnected',
    at: String(row.at),
    received_at: String(row.received_at),
    hostname: String(row.hostname),
    method: text(row.method),
    reason: text(row.reason),
    evidence_sha256: text(row.evidence_sha256),
    keep_collector: Number(row.keep_collector) === 1,
  }
}

export const toClause = (row: Raw): ClauseRow => ({clause_id: String(row.clause_id), text: String(row.text)})
