// One repository interface for both databases, so the server and the tests never see SQL dialects.
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
}

/** A report without its body: what the fleet overview needs. */
export type ReportSummaryRow = Omit<ReportRow, 'body'>

export interface ReportExportRow extends ReportSummaryRow {
  hostname: string
}

export interface AgentWithLatest {
  agent: AgentRow
  /** Its newest report (by generated_at), or null when it never reported. */
  latest: null | ReportSummaryRow
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
]

/** Statements shared by both backends, written with `?` placeholders (PostgreSQL's adapter numbers them). */
export const SQL = {
  migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
  appliedVersions: `SELECT version FROM schema_migrations`,
  recordMigration: `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
  insertToken: `INSERT INTO tokens (hash, expires_at, uses_left) VALUES (?, ?, ?)`,
  // Decrement only while usable: the WHERE makes "check and use" one atomic step.
  useToken: `UPDATE tokens SET uses_left = uses_left - 1 WHERE hash = ? AND uses_left > 0 AND expires_at > ?`,
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
  setLatest: `UPDATE agents SET latest_report_id = ?, latest_generated_at = ?, latest_received_at = ?, latest_score = ?, latest_failing = ? WHERE agent_id = ? AND (latest_generated_at IS NULL OR latest_generated_at < ? OR (latest_generated_at = ? AND latest_report_id > ?))`,
  listAgentsWithLatest: `SELECT * FROM agents ORDER BY hostname, agent_id`,
  listReports: `SELECT * FROM reports ORDER BY generated_at DESC, report_id`,
  listAgentReports: `SELECT * FROM reports WHERE agent_id = ? ORDER BY generated_at DESC, report_id`,
  exportReports: `SELECT r.report_id, r.agent_id, a.hostname, r.generated_at, r.received_at, r.score, r.failing FROM reports r JOIN agents a ON a.agent_id = r.agent_id ORDER BY r.generated_at, r.report_id`,
} as const

export function reportParams(r: ReportRow): unknown[] {
  return [r.report_id, r.agent_id, r.generated_at, r.received_at, r.score, JSON.stringify(r.failing), JSON.stringify(r.body)]
}

export function latestParams(r: ReportRow): unknown[] {
  return [r.report_id, r.generated_at, r.received_at, r.score, JSON.stringify(r.failing), r.agent_id, r.generated_at, r.generated_at, r.report_id]
}

export function agentParams(a: AgentRow): unknown[] {
  return [a.agent_id, a.hostname, a.cert_fingerprint, a.cert_serial, a.enrolled_at, a.revoked_at, a.last_seen]
}

type Raw = Record<string, unknown>

export function toAgent(row: Raw): AgentRow {
  return {
    agent_id: String(row.agent_id),
    hostname: String(row.hostname),
    cert_fingerprint: String(row.cert_fingerprint),
    cert_serial: String(row.cert_serial),
    enrolled_at: String(row.enrolled_at),
    revoked_at: row.revoked_at == null ? null : String(row.revoked_at),
    last_seen: row.last_seen == null ? null : String(row.last_seen),
  }
}

export function toReport(row: Raw): ReportRow {
  return {
    report_id: String(row.report_id),
    agent_id: String(row.agent_id),
    generated_at: String(row.generated_at),
    received_at: String(row.received_at),
    score: row.score == null ? null : Number(row.score),
    failing: JSON.parse(String(row.failing)) as string[],
    body: JSON.parse(String(row.body)),
  }
}

export function toExportRow(row: Raw): ReportExportRow {
  return {
    report_id: String(row.report_id),
    agent_id: String(row.agent_id),
    hostname: String(row.hostname),
    generated_at: String(row.generated_at),
    received_at: String(row.received_at),
    score: row.score == null ? null : Number(row.score),
    failing: JSON.parse(String(row.failing)) as string[],
  }
}

export function toAgentWithLatest(row: Raw): AgentWithLatest {
  const latest =
    row.latest_report_id == null
      ? null
      : {
          report_id: String(row.latest_report_id),
          agent_id: String(row.agent_id),
          generated_at: String(row.latest_generated_at),
          received_at: String(row.latest_received_at),
          score: row.latest_score == null ? null : Number(row.latest_score),
          failing: JSON.parse(String(row.latest_failing)) as string[],
        }
  return {agent: toAgent(row), latest}
}
