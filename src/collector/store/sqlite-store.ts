// SQLite backend (better-sqlite3, WAL): the default, one file in the collector's folder.
import {closeSync, existsSync, openSync} from 'node:fs'

import Database from 'better-sqlite3'

import {authParams, cursorParams, EXPORT_PAGE, exportPages, isoTime, MAX_AUTH_SOURCES_PER_WINDOW, MAX_BACKFILL_BATCH, MAX_INCIDENTS, MAX_SUMMARY_PAGE, pageLimit, periodParams, type StoreOptions, summaryPage} from './bounds.js'
import {MIGRATIONS} from './migrations.js'
import {agentParams, IdListCache, incidentParams, ownOrOverflow, type Params, type Raw, reportParams, toAgent, toAgentWithLatest, toExportRow, toIncident, toReport, toSummary} from './row-mapping.js'
import type {AgentRow, AgentWithLatest, AuthScope, ExportPeriod, IncidentRow, MissingClauses, ReportCursor, ReportExportRow, ReportRow, ReportSummaryPage, TokenRow} from './rows.js'
import {reportSummariesSql, SQL} from './sql.js'
import type {CollectorStore} from './types.js'

/** At most this many reports in one group commit (bounds one transaction's time and memory). */
const MAX_BATCH = 256

export class SqliteStore implements CollectorStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database
  private readonly pending: {report: ReportRow; resolve: (inserted: boolean) => void; reject: (error: unknown) => void}[] = []
  /** Prepared once per statement: preparing costs as much as running a small one. Keyed by the fixed texts of sql.ts. */
  private readonly statements = new Map<string, Database.Statement>()
  private readonly maxAuthSources: number

  constructor(file: string, options: StoreOptions = {}) {
    this.maxAuthSources = options.maxAuthSourcesPerWindow ?? MAX_AUTH_SOURCES_PER_WINDOW
    // Created owner-only before SQLite opens it (its journal files copy the database's mode).
    if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600))
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // better-sqlite3 builds with NORMAL, which in WAL mode can lose acknowledged commits in a power
    // cut: a 201 must mean the report is on disk. Group commit keeps the fsyncs few.
    this.db.pragma('synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    // Another process (an export while the server runs) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000')
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  async migrate(): Promise<void> {
    this.db.exec(SQL.migrationsTable)
    const applied = new Set((this.db.prepare(SQL.appliedVersions).all() as Raw[]).map((r) => Number(r.version)))
    MIGRATIONS.forEach((statements, index) => {
      const version = index + 1
      if (applied.has(version)) return
      this.db.transaction(() => {
        for (const statement of statements) this.db.exec(statement)
        this.db.prepare(SQL.recordMigration).run({applied_at: new Date().toISOString(), version})
      }).immediate()
    })
  }

  async close(): Promise<void> {
    // Reports already handed to us are committed (and answered), not dropped.
    while (this.pending.length > 0) this.commitPending()
    this.db.close()
  }

  async insertToken(token: TokenRow): Promise<void> {
    this.prepare(SQL.insertToken).run({...token})
  }

  async enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.prepare(SQL.useToken).run({hash: tokenHash, now}).changes !== 1) return false
      this.prepare(SQL.insertAgent).run(agentParams(agent))
      return true
    }).immediate()
  }

  async tokenUsable(tokenHash: string, now: string): Promise<boolean> {
    return this.prepare(SQL.tokenUsable).get({hash: tokenHash, now}) !== undefined
  }

  async incidentAgent(noticeId: string): Promise<null | string> {
    return (this.prepare(SQL.incidentAgent).get({notice_id: noticeId}) as undefined | {agent_id: string})?.agent_id ?? null
  }

  async getAgent(agentId: string): Promise<AgentRow | null> {
    const row = this.prepare(SQL.getAgent).get({agent_id: agentId}) as Raw | undefined
    return row ? toAgent(row) : null
  }

  async listAgents(): Promise<AgentRow[]> {
    return (this.prepare(SQL.listAgents).all() as Raw[]).map(toAgent)
  }

  async revokeAgent(agentId: string, at: string): Promise<boolean> {
    return this.prepare(SQL.revokeAgent).run({agent_id: agentId, at}).changes === 1
  }

  /**
   * Group commit: reports arriving in the same turn of the event loop are written in ONE
   * transaction (one WAL fsync, one BEGIN/COMMIT) instead of one each. Each caller still learns
   * its result only after that commit, so "answered ⇒ committed" holds; under load this is what
   * lets one collector take 1,000+ reports/s (docs/benchmarks.md, issue #4).
   */
  insertReport(report: ReportRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({reject, report, resolve})
      if (this.pending.length === 1) setImmediate(() => this.commitPending())
    })
  }

  private insertOne(report: ReportRow): boolean {
    const params = reportParams(report)
    const inserted = this.prepare(SQL.insertReport).run(params).changes === 1
    if (inserted) this.prepare(SQL.setLatest).run(params)
    this.prepare(SQL.touchAgent).run(params)
    return inserted
  }

  private commitPending(): void {
    const batch = this.pending.splice(0, MAX_BATCH)
    if (batch.length === 0) return
    if (this.pending.length > 0) setImmediate(() => this.commitPending())
    try {
      const results = this.db.transaction(() => batch.map((p) => this.insertOne(p.report))).immediate()
      batch.forEach((p, i) => p.resolve(results[i] as boolean))
    } catch {
      // One bad report (an unknown agent, say) must not fail the others: each on its own, as before.
      for (const p of batch) {
        try {
          p.resolve(this.db.transaction(() => this.insertOne(p.report)).immediate())
        } catch (error) {
          p.reject(error)
        }
      }
    }
  }

  async listReportSummaries(agentId: string | undefined, page: {limit: number; before?: ReportCursor}): Promise<ReportSummaryPage> {
    const limit = pageLimit(page.limit, MAX_SUMMARY_PAGE)
    const before = page.before ? cursorParams('before', page.before) : {}
    const sql = reportSummariesSql(agentId !== undefined, page.before !== undefined)
    return summaryPage((this.prepare(sql).all({...before, agent_id: agentId, limit: limit + 1}) as Raw[]).map(toSummary), limit)
  }

  exportReports(period: ExportPeriod = {}, pageSize: number = EXPORT_PAGE): AsyncIterable<ReportExportRow[]> {
    const bounds = periodParams(period)
    return exportPages(async (after, limit) => {
      const params: Params = {...bounds, limit, ...(after ? cursorParams('after', after) : {})}
      return (this.prepare(after ? SQL.exportReportsAfter : SQL.exportReports).all(params) as Raw[]).map(toExportRow)
    }, pageSize)
  }

  async listAgentsWithLatest(): Promise<AgentWithLatest[]> {
    const lists = new IdListCache()
    return (this.prepare(SQL.listAgentsWithLatest).raw(true).all() as unknown[][]).map((row) => toAgentWithLatest(row, lists))
  }

  async getReport(reportId: string): Promise<null | ReportRow> {
    const row = this.prepare(SQL.getReport).get({report_id: reportId}) as Raw | undefined
    return row ? toReport(row) : null
  }

  async agentsMissingClauses(limit: number, after = ''): Promise<MissingClauses[]> {
    const rows = this.prepare(SQL.agentsMissingClauses).all({after, limit: pageLimit(limit, MAX_BACKFILL_BATCH)}) as Raw[]
    return rows.map((r) => ({agent_id: String(r.agent_id), report_id: String(r.latest_report_id)}))
  }

  async setLatestClauses(agentId: string, reportId: string, clauses: string[]): Promise<boolean> {
    return this.prepare(SQL.setLatestClauses).run({agent_id: agentId, clauses: JSON.stringify(clauses), report_id: reportId}).changes === 1
  }



  async insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean> {
    const params = incidentParams(incident, bodyText)
    return this.db.transaction(() => {
      if (this.prepare(SQL.insertIncident).run(params).changes !== 1) return false
      this.prepare(SQL.setIncident).run(params)
      return true
    }).immediate()
  }

  async listIncidents(agentId: string): Promise<IncidentRow[]> {
    return (this.prepare(SQL.listIncidents).all({agent_id: agentId, limit: MAX_INCIDENTS}) as Raw[]).map(toIncident)
  }

  async recordAuthFailure(scope: AuthScope, source: string, windowStart: string): Promise<number> {
    const params = authParams(scope, source, windowStart)
    // Without the fsync synchronous=FULL makes (the next report's commit syncs it anyway): a guess
    // must not cost the server a blocking disk flush. Safe to switch: nothing else runs meanwhile.
    this.db.pragma('synchronous = NORMAL')
    try {
      return Number((this.prepare(SQL.recordAuthFailure).get({...params, max_sources: this.maxAuthSources}) as Raw).failures)
    } finally {
      this.db.pragma('synchronous = FULL')
    }
  }

  async authFailureCount(scope: AuthScope, source: string, windowStart: string): Promise<number> {
    return ownOrOverflow(this.prepare(SQL.authFailures).all(authParams(scope, source, windowStart)) as Raw[], source)
  }

  async pruneAuthFailures(before: string): Promise<number> {
    return this.prepare(SQL.pruneAuthFailures).run({before: isoTime(before, 'before')}).changes
  }
}
