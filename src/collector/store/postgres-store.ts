// PostgreSQL backend (pg): for a fleet big enough to want a shared database server.
import pg from 'pg'

import {agentParams, type AgentRow, type AgentWithLatest, type ClauseRow, clausesParam, type CollectorStore, incidentParams, type IncidentRow, IdListCache, MIGRATIONS, type Raw, type ReportExportRow, type ReportRow, reportParams, setIncidentParams, SQL, toAgent, toAgentWithLatest, toClause, toExportRow, toIncident, toReport, type TokenRow} from './types.js'

/** The shared statements use `?`; PostgreSQL wants $1, $2, … (none of them has a literal `?`). */
function numbered(sql: string): string {
  let n = 0
  return sql.replaceAll('?', () => `$${++n}`)
}

// $1 report_id, $2 agent_id, $3 generated_at, $4 received_at, $5 score, $6 failing, $7 body, $8 failing clauses.
const NEWER = `EXISTS (SELECT 1 FROM ins) AND (latest_generated_at IS NULL OR latest_generated_at < $3 OR (latest_generated_at = $3 AND latest_report_id > $1))`
const INSERT_REPORT = `WITH ins AS (
  INSERT INTO reports (report_id, agent_id, generated_at, received_at, score, failing, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (report_id) DO NOTHING RETURNING report_id
), touched AS (
  UPDATE agents SET last_seen = $4,
    latest_report_id = CASE WHEN ${NEWER} THEN $1 ELSE latest_report_id END,
    latest_generated_at = CASE WHEN ${NEWER} THEN $3 ELSE latest_generated_at END,
    latest_received_at = CASE WHEN ${NEWER} THEN $4 ELSE latest_received_at END,
    latest_score = CASE WHEN ${NEWER} THEN $5 ELSE latest_score END,
    latest_failing = CASE WHEN ${NEWER} THEN $6 ELSE latest_failing END,
    latest_failing_clauses = CASE WHEN ${NEWER} THEN $8 ELSE latest_failing_clauses END
  WHERE agent_id = $2 RETURNING agent_id
)
SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM touched) AS touched`

export class PostgresStore implements CollectorStore {
  readonly kind = 'postgres'
  private readonly pool: pg.Pool

  constructor(connectionString: string) {
    // No parallel query: every statement here is small, and on the 2-core servers a district runs,
    // starting a worker for the overview's 10,000-row sort cost more than it saved (about 60 → 40 ms,
    // docs/benchmarks.md, issue #4). A connection URL's own `options` still wins.
    this.pool = new pg.Pool({connectionString, max: 5, options: '-c max_parallel_workers_per_gather=0'})
    // An idle client losing its server must not crash the collector; the next query reports it.
    this.pool.on('error', () => {})
  }

  private async query(sql: string, params: unknown[] = [], client: pg.Pool | pg.PoolClient = this.pool): Promise<pg.QueryResult<Raw>> {
    return client.query<Raw>(numbered(sql), params)
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
      await this.query(SQL.migrationsTable, [], client)
      const applied = new Set((await this.query(SQL.appliedVersions, [], client)).rows.map((r) => Number(r.version)))
      for (const [index, statements] of MIGRATIONS.entries()) {
        const version = index + 1
        if (applied.has(version)) continue
        for (const statement of statements) await this.query(statement, [], client)
        await this.query(SQL.recordMigration, [version, new Date().toISOString()], client)
      }
    })
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  async insertToken(token: TokenRow): Promise<void> {
    await this.query(SQL.insertToken, [token.hash, token.expires_at, token.uses_left])
  }

  async enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean> {
    return this.transaction(async (client) => {
      if ((await this.query(SQL.useToken, [tokenHash, now], client)).rowCount !== 1) return false
      await this.query(SQL.insertAgent, agentParams(agent), client)
      return true
    })
  }

  async tokenUsable(tokenHash: string, now: string): Promise<boolean> {
    return (await this.query(SQL.tokenUsable, [tokenHash, now])).rows.length > 0
  }

  async incidentAgent(noticeId: string): Promise<null | string> {
    return ((await this.query(SQL.incidentAgent, [noticeId])).rows[0] as undefined | {agent_id: string})?.agent_id ?? null
  }

  async getAgent(agentId: string): Promise<AgentRow | null> {
    const row = (await this.query(SQL.getAgent, [agentId])).rows[0]
    return row ? toAgent(row) : null
  }

  async listAgents(): Promise<AgentRow[]> {
    return (await this.query(SQL.listAgents)).rows.map(toAgent)
  }

  async revokeAgent(agentId: string, at: string): Promise<boolean> {
    return (await this.query(SQL.revokeAgent, [at, agentId])).rowCount === 1
  }

  /**
   * One statement, so one round trip and an implicit transaction: the insert, the agent's newest-
   * report pointer (moved only when the insert happened, under the same rule as SQL.setLatest) and
   * last_seen. Five round trips (BEGIN … COMMIT) capped ingest at about a third of this.
   */
  async insertReport(report: ReportRow): Promise<boolean> {
    const result = await this.pool.query<Raw>(INSERT_REPORT, [...reportParams(report), clausesParam(report)])
    return Number(result.rows[0]?.inserted) === 1
  }

  async listReports(agentId?: string): Promise<ReportRow[]> {
    const result = agentId === undefined ? await this.query(SQL.listReports) : await this.query(SQL.listAgentReports, [agentId])
    return result.rows.map(toReport)
  }

  async exportReports(): Promise<ReportExportRow[]> {
    return (await this.query(SQL.exportReports)).rows.map(toExportRow)
  }

  async listAgentsWithLatest(): Promise<AgentWithLatest[]> {
    // Arrays, not keyed objects: 10,000 fewer objects to build (docs/benchmarks.md, issue #4).
    const result = await this.pool.query<unknown[]>({rowMode: 'array', text: SQL.listAgentsWithLatest})
    const lists = new IdListCache()
    return result.rows.map((row) => toAgentWithLatest(row, lists))
  }

  async getReport(reportId: string): Promise<null | ReportRow> {
    const row = (await this.query(SQL.getReport, [reportId])).rows[0]
    return row ? toReport(row) : null
  }

  async saveClauses(clauses: ClauseRow[]): Promise<void> {
    await this.transaction(async (client) => {
      for (const c of clauses) await this.query(SQL.saveClause, [c.clause_id, c.text], client)
    })
  }

  async listClauses(): Promise<ClauseRow[]> {
    return (await this.query(SQL.listClauses)).rows.map(toClause)
  }

  async insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean> {
    return this.transaction(async (client) => {
      if ((await this.query(SQL.insertIncident, incidentParams(incident, bodyText), client)).rowCount !== 1) return false
      await this.query(SQL.setIncident, setIncidentParams(incident), client)
      return true
    })
  }

  async listIncidents(agentId: string): Promise<IncidentRow[]> {
    return (await this.query(SQL.listIncidents, [agentId])).rows.map(toIncident)
  }
}
