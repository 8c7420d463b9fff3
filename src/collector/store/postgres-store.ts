// PostgreSQL backend (pg): for a fleet big enough to want a shared database server.
import pg from 'pg'

import {agentParams, type AgentRow, type CollectorStore, MIGRATIONS, type ReportExportRow, type ReportRow, reportParams, SQL, toAgent, toExportRow, toReport, type TokenRow} from './types.js'

type Raw = Record<string, unknown>

/** The shared statements use `?`; PostgreSQL wants $1, $2, … (none of them has a literal `?`). */
function numbered(sql: string): string {
  let n = 0
  return sql.replaceAll('?', () => `$${++n}`)
}

export class PostgresStore implements CollectorStore {
  readonly kind = 'postgres'
  private readonly pool: pg.Pool

  constructor(connectionString: string) {
    this.pool = new pg.Pool({connectionString, max: 5})
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

  async insertReport(report: ReportRow): Promise<boolean> {
    return this.transaction(async (client) => {
      const inserted = (await this.query(SQL.insertReport, reportParams(report), client)).rowCount === 1
      await this.query(SQL.touchAgent, [report.received_at, report.agent_id], client)
      return inserted
    })
  }

  async listReports(agentId?: string): Promise<ReportRow[]> {
    const result = agentId === undefined ? await this.query(SQL.listReports) : await this.query(SQL.listAgentReports, [agentId])
    return result.rows.map(toReport)
  }

  async exportReports(): Promise<ReportExportRow[]> {
    return (await this.query(SQL.exportReports)).rows.map(toExportRow)
  }
}
