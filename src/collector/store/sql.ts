// Every statement both backends run, with named parameters (@name): better-sqlite3 binds an
// object as is, and PostgreSQL's adapter (named-params.ts) numbers them. The params objects come
// from row-mapping.ts. The order of reports and of incident notices, and so which one is an
// agent's newest, is written once here (olderThan) and used by every statement that needs it.

/** A newest-first order: by a time column, descending; a tie goes to the smaller or the larger id. */
interface NewestFirst {
  time: string
  id: string
  tieGoesTo: 'larger' | 'smaller'
}

/**
 * Reports: the last the collector received first, by its own clock (issue 11, 1.3: an agent's
 * clock decides nothing; a report dated years ahead is not "latest" for it); a tie goes to the
 * smaller report_id.
 */
const REPORTS: NewestFirst = {time: 'received_at', id: 'report_id', tieGoesTo: 'smaller'}
/** Incident notices: newest `at` first; a tie goes to the larger notice_id. */
const INCIDENTS: NewestFirst = {time: 'at', id: 'notice_id', tieGoesTo: 'larger'}

interface Place {
  time: string
  id: string
}

/**
 * The one "newest wins" rule: SQL that is true when `a` comes after `b` in `order` (is older, or
 * as old and loses the tie). Written `a ≤ b AND (a < b OR tie)`, the same truth for non-null
 * values as `a < b OR (a = b AND tie)`, because its first half is a range an index can seek to.
 */
function olderThan(order: NewestFirst, a: Place, b: Place): string {
  const tie = order.tieGoesTo === 'smaller' ? '>' : '<'
  return `(${a.time} <= ${b.time} AND (${a.time} < ${b.time} OR ${a.id} ${tie} ${b.id}))`
}

const column = (order: NewestFirst, prefix: string): Place => ({time: `${prefix}${order.time}`, id: `${prefix}${order.id}`})
const newestFirst = (o: NewestFirst, prefix = ''): string => `${prefix}${o.time} DESC, ${prefix}${o.id} ${o.tieGoesTo === 'smaller' ? 'ASC' : 'DESC'}`
const oldestFirst = (o: NewestFirst, prefix = ''): string => `${prefix}${o.time} ASC, ${prefix}${o.id} ${o.tieGoesTo === 'smaller' ? 'DESC' : 'ASC'}`

/** The incoming report (@received_at, @report_id) is newer than the agent's pointer, or there is none. */
const REPORT_IS_NEWEST = `(latest_received_at IS NULL OR ${olderThan(REPORTS, {time: 'latest_received_at', id: 'latest_report_id'}, {time: '@received_at', id: '@report_id'})})`
/** The incoming notice (@at, @notice_id) is newer than the agent's pointer, or there is none. */
const NOTICE_IS_NEWEST = `(incident_at IS NULL OR ${olderThan(INCIDENTS, {time: 'incident_at', id: 'incident_notice_id'}, {time: '@at', id: '@notice_id'})})`

/** The agent row's copy of its newest report, and the report params each column takes. */
const LATEST_COLUMNS: [column: string, param: string][] = [
  ['latest_report_id', '@report_id'],
  ['latest_generated_at', '@generated_at'],
  ['latest_received_at', '@received_at'],
  ['latest_score', '@score'],
  ['latest_failing', '@failing'],
  ['latest_failing_clauses', '@failing_clauses'],
]

/** last_seen only moves forward: two collectors' clocks may differ by a little. */
const SEEN_NOW = `last_seen = CASE WHEN last_seen IS NULL OR last_seen < @received_at THEN @received_at ELSE last_seen END`

const INSERT_REPORT = `INSERT INTO reports (report_id, agent_id, generated_at, received_at, score, failing, body) VALUES (@report_id, @agent_id, @generated_at, @received_at, @score, @failing, @body) ON CONFLICT (report_id) DO NOTHING`

const SUMMARY_COLUMNS = 'report_id, agent_id, generated_at, received_at, score, failing'
/** Rows after the cursor (@before_received_at, @before_report_id) in newest-first order. */
const BEFORE_CURSOR = olderThan(REPORTS, column(REPORTS, ''), {time: '@before_received_at', id: '@before_report_id'})
/** Rows after the cursor (@after_received_at, @after_report_id) in oldest-first order: the cursor is older than them. */
const AFTER_CURSOR = olderThan(REPORTS, {time: '@after_received_at', id: '@after_report_id'}, column(REPORTS, 'r.'))
const EXPORT = `SELECT r.report_id, r.agent_id, a.hostname, r.generated_at, r.received_at, r.score, r.failing FROM reports r JOIN agents a ON a.agent_id = r.agent_id WHERE r.received_at < @to`

/** One scope's time window of failed authentication. */
const AUTH_WINDOW = `scope = @scope AND window_start = @window_start`

export const SQL = {
  migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
  appliedVersions: `SELECT version FROM schema_migrations`,
  recordMigration: `INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @applied_at)`,
  insertToken: `INSERT INTO tokens (hash, expires_at, uses_left) VALUES (@hash, @expires_at, @uses_left)`,
  // Decrement only while usable: the WHERE makes "check and use" one atomic step.
  useToken: `UPDATE tokens SET uses_left = uses_left - 1 WHERE hash = @hash AND uses_left > 0 AND expires_at > @now`,
  tokenUsable: `SELECT 1 AS usable FROM tokens WHERE hash = @hash AND uses_left > 0 AND expires_at > @now`,
  insertAgent: `INSERT INTO agents (agent_id, hostname, cert_fingerprint, cert_serial, enrolled_at, revoked_at, last_seen) VALUES (@agent_id, @hostname, @cert_fingerprint, @cert_serial, @enrolled_at, @revoked_at, @last_seen)`,
  getAgent: `SELECT * FROM agents WHERE agent_id = @agent_id`,
  listAgents: `SELECT * FROM agents ORDER BY hostname, agent_id`,
  revokeAgent: `UPDATE agents SET revoked_at = COALESCE(revoked_at, @at) WHERE agent_id = @agent_id`,

  // SQLite: these three in its group-commit transaction.
  insertReport: INSERT_REPORT,
  touchAgent: `UPDATE agents SET ${SEEN_NOW} WHERE agent_id = @agent_id`,
  // PostgreSQL re-checks the WHERE after waiting for a concurrent update of the row, so two
  // collectors cannot leave an older pointer behind.
  setLatest: `UPDATE agents SET ${LATEST_COLUMNS.map(([c, p]) => `${c} = ${p}`).join(', ')} WHERE agent_id = @agent_id AND ${REPORT_IS_NEWEST}`,
  /**
   * PostgreSQL: the same three as ONE statement, so one round trip and an implicit transaction
   * (five round trips, BEGIN … COMMIT, capped ingest at about a third of this). The pointer moves
   * only when the insert happened and under the same rule as setLatest; last_seen always.
   */
  insertReportWithLatest: `WITH ins AS (
  ${INSERT_REPORT} RETURNING report_id
), touched AS (
  UPDATE agents SET ${SEEN_NOW},
    ${LATEST_COLUMNS.map(([c, p]) => `${c} = CASE WHEN EXISTS (SELECT 1 FROM ins) AND ${REPORT_IS_NEWEST} THEN ${p} ELSE ${c} END`).join(',\n    ')}
  WHERE agent_id = @agent_id RETURNING agent_id
)
SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM touched) AS touched`,

  // Only the columns the overview shows, in this order, read as arrays (toAgentWithLatest).
  listAgentsWithLatest: `SELECT agent_id, hostname, enrolled_at, revoked_at, last_seen, latest_report_id, latest_generated_at, latest_received_at, latest_score, latest_failing, latest_failing_clauses, incident_event, incident_at FROM agents ORDER BY hostname, agent_id`,
  getReport: `SELECT * FROM reports WHERE report_id = @report_id`,

  // One page of summaries, newest first: an agent's (index reports_agent_order) or everyone's.
  agentReportSummaries: `SELECT ${SUMMARY_COLUMNS} FROM reports WHERE agent_id = @agent_id ORDER BY ${newestFirst(REPORTS)} LIMIT @limit`,
  agentReportSummariesBefore: `SELECT ${SUMMARY_COLUMNS} FROM reports WHERE agent_id = @agent_id AND ${BEFORE_CURSOR} ORDER BY ${newestFirst(REPORTS)} LIMIT @limit`,
  reportSummaries: `SELECT ${SUMMARY_COLUMNS} FROM reports ORDER BY ${newestFirst(REPORTS)} LIMIT @limit`,
  reportSummariesBefore: `SELECT ${SUMMARY_COLUMNS} FROM reports WHERE ${BEFORE_CURSOR} ORDER BY ${newestFirst(REPORTS)} LIMIT @limit`,
  // One page of the export, oldest first (the listing's exact reverse), in a received_at period.
  // The cursor, a row of the period, replaces its start: one lower bound, so the index seeks to it.
  exportReports: `${EXPORT} AND r.received_at >= @from ORDER BY ${oldestFirst(REPORTS, 'r.')} LIMIT @limit`,
  exportReportsAfter: `${EXPORT} AND ${AFTER_CURSOR} ORDER BY ${oldestFirst(REPORTS, 'r.')} LIMIT @limit`,

  // Newest reports stored before the collector kept their clauses (migration 3), by agent_id.
  agentsMissingClauses: `SELECT agent_id, latest_report_id FROM agents WHERE latest_failing_clauses IS NULL AND latest_report_id IS NOT NULL AND agent_id > @after ORDER BY agent_id LIMIT @limit`,
  // Only while the pointer still names that report: a newer one may have arrived meanwhile.
  setLatestClauses: `UPDATE agents SET latest_failing_clauses = @clauses WHERE agent_id = @agent_id AND latest_report_id = @report_id`,

  incidentAgent: `SELECT agent_id FROM incidents WHERE notice_id = @notice_id`,
  insertIncident: `INSERT INTO incidents (notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256, keep_collector, body) VALUES (@notice_id, @incident_id, @agent_id, @event, @at, @received_at, @hostname, @method, @reason, @evidence_sha256, @keep_collector, @body) ON CONFLICT (notice_id) DO NOTHING`,
  setIncident: `UPDATE agents SET incident_event = @event, incident_at = @at, incident_notice_id = @notice_id WHERE agent_id = @agent_id AND ${NOTICE_IS_NEWEST}`,
  listIncidents: `SELECT notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256, keep_collector FROM incidents WHERE agent_id = @agent_id ORDER BY ${newestFirst(INCIDENTS)} LIMIT @limit`,

  // One atomic step (concurrent collectors each add their one): a source's own row while it has
  // one; once the window holds @max_sources sources, every new source shares the '*' row, so an
  // attacker spraying addresses adds at most one row. WHERE true: SQLite's upsert needs it after
  // a SELECT. The CASTs tell PostgreSQL the parameters' type in a select list.
  recordAuthFailure: `INSERT INTO auth_failures (scope, window_start, source, failures)
SELECT CAST(@scope AS TEXT), CAST(@window_start AS TEXT), CASE
  WHEN EXISTS (SELECT 1 FROM auth_failures WHERE ${AUTH_WINDOW} AND source = @source) THEN CAST(@source AS TEXT)
  WHEN EXISTS (SELECT 1 FROM auth_failures WHERE ${AUTH_WINDOW} AND source = '*') THEN '*'
  WHEN (SELECT count(*) FROM auth_failures WHERE ${AUTH_WINDOW}) >= @max_sources THEN '*'
  ELSE CAST(@source AS TEXT) END, 1
WHERE true
ON CONFLICT (scope, window_start, source) DO UPDATE SET failures = auth_failures.failures + 1
RETURNING failures`,
  authFailures: `SELECT source, failures FROM auth_failures WHERE ${AUTH_WINDOW} AND source IN (@source, '*')`,
  pruneAuthFailures: `DELETE FROM auth_failures WHERE window_start < @before`,
} as const

/** The summaries statement for an agent's or everyone's reports, from the newest or before a cursor. */
export function reportSummariesSql(agent: boolean, before: boolean): string {
  if (agent) return before ? SQL.agentReportSummariesBefore : SQL.agentReportSummaries
  return before ? SQL.reportSummariesBefore : SQL.reportSummaries
}
