// The schema's history: the same plain SQL runs on both databases, each list once, in order
// (schema_migrations records which ran). Never edit a list that has shipped: add one.
/**
 * Points every agent's latest_* columns at its newest report by `time` (ties: the smaller id):
 * migration 2 by generated_at, migration 8 by received_at. Migration 2's statements must stay
 * what they were: it has run on collectors in the field.
 */
function pointAtNewest(time: 'generated_at' | 'received_at'): string[] {
  return [
    `UPDATE agents SET latest_report_id = (SELECT r.report_id FROM reports r WHERE r.agent_id = agents.agent_id ORDER BY r.${time} DESC, r.report_id LIMIT 1)`,
    `UPDATE agents SET
      latest_generated_at = (SELECT r.generated_at FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_received_at = (SELECT r.received_at FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_score = (SELECT r.score FROM reports r WHERE r.report_id = agents.latest_report_id),
      latest_failing = (SELECT r.failing FROM reports r WHERE r.report_id = agents.latest_report_id)`,
  ]
}

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
    ...pointAtNewest('generated_at'),
    `CREATE INDEX agents_hostname ON agents (hostname, agent_id)`,
  ],
  // The dashboard read every report body to find each PC's failing clauses: the newest report's
  // clauses now live on the agent row (NULL for reports stored before: the collector backfills
  // them once at start), and clause texts in their own small table.
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
  // Reads are pages now (issue 11, 1.4): an agent's history and the export walk an index in the
  // listing's own order (generated_at, then report_id the other way), so a page costs its rows,
  // not a sort of everything before it. Read backwards, the same indexes give newest first.
  [
    `DROP INDEX reports_agent_generated`,
    `CREATE INDEX reports_agent_order ON reports (agent_id, generated_at, report_id DESC)`,
    `CREATE INDEX reports_order ON reports (generated_at, report_id DESC)`,
  ],
  // Failed authentication counted per scope, source and time window in the database (issue 11,
  // 1.8), so every collector on one database shares the count. The key leads with (scope, window)
  // to count a window's sources (the cap on rows); pruning goes by window.
  [
    `CREATE TABLE auth_failures (
      scope TEXT NOT NULL,
      window_start TEXT NOT NULL,
      source TEXT NOT NULL,
      failures INTEGER NOT NULL,
      PRIMARY KEY (scope, window_start, source)
    )`,
    `CREATE INDEX auth_failures_window ON auth_failures (window_start)`,
  ],
  // Clause texts come from the collector's policy (issue 11, 1.4); the table agents' reports filled
  // (texts an agent could rewrite for every administrator) is read by nothing and goes.
  [`DROP TABLE clauses`],
  // A PC's reports in the order the collector received them (issue 11, 1.3): the agent's clock no
  // longer decides which report is its latest. The indexes follow the new order, and every agent's
  // pointer is set again to the report received last.
  [
    `DROP INDEX reports_agent_order`,
    `DROP INDEX reports_order`,
    `CREATE INDEX reports_agent_received ON reports (agent_id, received_at, report_id DESC)`,
    `CREATE INDEX reports_received ON reports (received_at, report_id DESC)`,
    ...pointAtNewest('received_at'),
    // Filled again at start from the newly pointed-at reports (backfill-clauses.ts).
    `UPDATE agents SET latest_failing_clauses = NULL`,
  ],
]
