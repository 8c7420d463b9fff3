// One repository interface for both databases, so the server and the tests never see SQL dialects.
// The rows live in rows.ts, the schema in migrations.ts, the statements in sql.ts and the
// mapping between them in row-mapping.ts; importers of the row types from here keep working.
import type {AgentRow, AgentWithLatest, AuthScope, ExportPeriod, IncidentRow, MissingClauses, ReportCursor, ReportExportRow, ReportRow, ReportSummaryPage, TokenRow} from './rows.js'

export type * from './rows.js'

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
  /**
   * One page of report summaries (no bodies), newest first (generated_at, then the smaller
   * report_id): an agent's, or every agent's when `agentId` is undefined. At most
   * MAX_SUMMARY_PAGE rows whatever `limit` says; `before` continues from a page's `older` cursor.
   */
  listReportSummaries(agentId: string | undefined, page: {limit: number; before?: ReportCursor}): Promise<ReportSummaryPage>
  /**
   * The reports generated in `period` with their agents' hostnames, oldest first (the listing's
   * exact reverse), in pages of `pageSize` rows (EXPORT_PAGE by default): each page is read only
   * when the caller asks for it, so a caller that writes each page out holds one at a time.
   */
  exportReports(period?: ExportPeriod, pageSize?: number): AsyncIterable<ReportExportRow[]>
  /**
   * Every agent (by hostname) with its newest report, without report bodies: the fleet overview.
   * One join on a pointer kept up to date on insert, so it does not scan the reports table.
   */
  listAgentsWithLatest(): Promise<AgentWithLatest[]>
  getReport(reportId: string): Promise<null | ReportRow>
  /**
   * Up to `limit` agents (MAX_BACKFILL_BATCH at most) whose newest report has no failing clauses
   * kept (stored before migration 3), by agent_id after `after`: a backfill that cannot work one out
   * passes its id as `after` and goes on.
   */
  agentsMissingClauses(limit: number, after?: string): Promise<MissingClauses[]>
  /** Keeps a backfilled report's failing clauses on its agent: false when the agent's newest report is no longer `reportId`. */
  setLatestClauses(agentId: string, reportId: string, clauses: string[]): Promise<boolean>
  /** Records clause texts (insert or update): called when a report names a clause not yet seen. */
  /**
   * Stores a notice (its JSON text as received in `bodyText`) and moves the agent's latest-incident
   * pointer when it is the newest; false when that notice_id was stored before.
   */
  insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean>
  /** An agent's incident notices, newest first (by at, then notice_id): the newest MAX_INCIDENTS. */
  listIncidents(agentId: string): Promise<IncidentRow[]>
  /** The agent that sent this notice_id, or null: asked when a notice_id arrives twice. */
  incidentAgent(noticeId: string): Promise<null | string>
  /**
   * Counts one failed authentication from `source` in the window starting at `windowStart` (an ISO
   * time the caller rounds down), atomically across every collector on this database, and returns
   * the count it now stands at. Once a scope's window holds MAX_AUTH_SOURCES_PER_WINDOW sources,
   * new ones share one overflow count ('*'): an attacker spraying addresses soon hits the limit as
   * one, and the table grows by one row, not one per address. Not synced to disk before it returns
   * (SQLite): a count lost in a power cut costs nothing, an fsync per guess would stall the server.
   */
  recordAuthFailure(scope: AuthScope, source: string, windowStart: string): Promise<number>
  /** The count recordAuthFailure would add to: the source's own, or the overflow count once its window is full; 0 when none. */
  authFailureCount(scope: AuthScope, source: string, windowStart: string): Promise<number>
  /** Deletes the windows that started before `before` (run it on a timer); returns how many rows went. */
  pruneAuthFailures(before: string): Promise<number>
}
