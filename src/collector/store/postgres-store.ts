// PostgreSQL backend (pg): for a fleet big enough to want a shared database server.
import pg from 'pg'

import {authParams, cursorParams, EXPORT_PAGE, exportPages, isoTime, MAX_AUTH_SOURCES_PER_WINDOW, MAX_BACKFILL_BATCH, MAX_INCIDENTS, MAX_SUMMARY_PAGE, pageLimit, periodParams, type StoreOptions, summaryPage} from './bounds.js'
import {MIGRATIONS} from './migrations.js'
import {bindNamed} from './named-params.js'
import {agentParams, IdListCache, incidentParams, ownOrOverflow, type Params, type Raw, reportParams, toAgent, toAgentWithLatest, toExportRow, toIncident, toReport, toSummary} from './row-mapping.js'
import type {AgentRow, AgentWithLatest, AuthScope, ExportPeriod, IncidentRow, MissingClauses, ReportCursor, ReportExportRow, ReportRow, ReportSummaryPage, TokenRow} from './rows.js'
import {reportSummariesSql, SQL} from './sql.js'
import type {CollectorStore} from './types.js'

export class PostgresStore implements CollectorStore {
  readonly kind = 'postgres'
  private readonly pool: pg.Pool
  private readonly maxAuthSources: number

  constructor(connectionString: string, options: StoreOptions = {}) {
    this.maxAuthSources = options.maxAuthSourcesPerWindow ?? MAX_AUTH_SOURCES_PER_WINDOW
    // No parallel query: every statement here is small, and on the 2-core servers a district runs,
    // starting a worker for the overview's 10,000-row sort cost more than it saved (about 60 → 40 ms,
    // docs/benchmarks.md, issue #4). A connection URL's own `options` still wins.
    this.pool = new pg.Pool({connectionString, max: 5, options: '-c max_parallel_workers_per_gather=0'})
    // An idle client losing its server must not crash the collector; the next query reports it.
    this.pool.on('error', () => {})
  }

  private async query(sql: string, params: Params = {}, client: pg.Pool | pg.PoolClient = this.pool): Promise<pg.QueryResult<Raw>> {
    const {text, values} = bindNamed(sql, params)
    return client.query<Raw>(text, values)
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // Two collectors starting at once must not both run a migration.
      await client.query('SELECT pg_advisory_xact_lock(4242001)')
      await this.query(SQL.migrationsTable, {}, client)
      const applied = new Set((await this.query(SQL.appliedVersions, {}, client)).rows.map((r) => Number(r.version)))
      for (const [index, statements] of MIGRATIONS.entries()) {
        const version = index + 1
        if (applied.has(version)) continue
        for (const statement of statements) await this.query(statement, {}, client)
        await this.query(SQL.recordMigration, {applied_at: new Date().toISOString(), version}, client)
      }
    })
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  async insertToken(token: TokenRow): Promise<void> {
    await this.query(SQL.insertToken, {...token})
  }

  async enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean> {
    return this.transaction(async (client) => {
      if ((await this.query(SQL.useToken, {hash: tokenHash, now}, client)).rowCount !== 1) return false
      await this.query(SQL.insertAgent, agentParams(agent), client)
      return true
    })
  }

  async tokenUsable(tokenHash: string, now: string): Promise<boolean> {
    return (await this.query(SQL.tokenUsable, {hash: tokenHash, now})).rows.length > 0
  }

  async incidentAgent(noticeId: string): Promise<null | string> {
    return ((await this.query(SQL.incidentAgent, {notice_id: noticeId})).rows[0] as undefined | {agent_id: string})?.agent_id ?? null
  }

  async getAgent(agentId: string): Promise<AgentRow | null> {
    const row = (await this.query(SQL.getAgent, {agent_id: agentId})).rows[0]
    return row ? toAgent(row) : null
  }

  async listAgents(): Promise<AgentRow[]> {
    return (await this.query(SQL.listAgents)).rows.map(toAgent)
  }

  async revokeAgent(agentId: string, at: string): Promise<boolean> {
    return (await this.query(SQL.revokeAgent, {agent_id: agentId, at})).rowCount === 1
  }

  /** One statement (SQL.insertReportWithLatest): one round trip, an implicit transaction. */
  async insertReport(report: ReportRow): Promise<boolean> {
    const result = await this.query(SQL.insertReportWithLatest, reportParams(report))
    return Number(result.rows[0]?.inserted) === 1
  }

  async listReportSummaries(agentId: string | undefined, page: {limit: number; before?: ReportCursor}): Promise<ReportSummaryPage> {
    const limit = pageLimit(page.limit, MAX_SUMMARY_PAGE)
    const before = page.before ? cursorParams('before', page.before) : {}
    const result = await this.query(reportSummariesSql(agentId !== undefined, page.before !== undefined), {...before, agent_id: agentId, limit: limit + 1})
    return summaryPage(result.rows.map(toSummary), limit)
  }

  exportReports(period: ExportPeriod = {}, pageSize: number = EXPORT_PAGE): AsyncIterable<ReportExportRow[]> {
    const bounds = periodParams(period)
    return exportPages(async (after, limit) => {
      const params: Params = {...bounds, limit, ...(after ? cursorParams('after', after) : {})}
      return (await this.query(after ? SQL.exportReportsAfter : SQL.exportReports, params)).rows.map(toExportRow)
    }, pageSize)
  }

  async listAgentsWithLatest(): Promise<AgentWithLatest[]> {
    // Arrays, not keyed objects: 10,000 fewer objects to build (docs/benchmarks.md, issue #4).
    const result = await this.pool.query<unknown[]>({rowMode: 'array', text: SQL.listAgentsWithLatest})
    const lists = new IdListCache()
    return result.rows.map((row) => toAgentWithLatest(row, lists))
  }

  async getReport(reportId: string): Promise<null | ReportRow> {
    const row = (await this.query(SQL.getReport, {report_id: reportId})).rows[0]
    return row ? toReport(row) : null
  }

  async agentsMissingClauses(limit: number, after = ''): Promise<MissingClauses[]> {
    const result = await this.query(SQL.agentsMissingClauses, {after, limit: pageLimit(limit, MAX_BACKFILL_BATCH)})
    return result.rows.map((r) => ({agent_id: String(r.agent_id), report_id: String(r.latest_report_id)}))
  }

  async setLatestClauses(agentId: string, reportId: string, clauses: string[]): Promise<boolean> {
    return (await this.query(SQL.setLatestClauses, {agent_id: agentId, clauses: JSON.stringify(clauses), report_id: reportId})).rowCount === 1
  }



  async insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean> {
    const params = incidentParams(incident, bodyText)
    return this.transaction(async (client) => {
      if ((await this.query(SQL.insertIncident, params, client)).rowCount !== 1) return false
      await this.query(SQL.setIncident, params, client)
      return true
    })
  }

  async listIncidents(agentId: string): Promise<IncidentRow[]> {
    return (await this.query(SQL.listIncidents, {agent_id: agentId, limit: MAX_INCIDENTS})).rows.map(toIncident)
  }

  async recordAuthFailure(scope: AuthScope, source: string, windowStart: string): Promise<number> {
    const result = await this.query(SQL.recordAuthFailure, {...authParams(scope, source, windowStart), max_sources: this.maxAuthSources})
    return Number(result.rows[0]?.failures)
  }

  async authFailureCount(scope: AuthScope, source: string, windowStart: string): Promise<number> {
    return ownOrOverflow((await this.query(SQL.authFailures, authParams(scope, source, windowStart))).rows, source)
  }

  async pruneAuthFailures(before: string): Promise<number> {
    return (await this.query(SQL.pruneAuthFailures, {before: isoTime(before, 'before')})).rowCount ?? 0
  }
}
