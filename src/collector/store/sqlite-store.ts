// SQLite backend (better-sqlite3, WAL): the default, one file in the collector's folder.
import Database from 'better-sqlite3'

import {agentParams, type AgentRow, type CollectorStore, MIGRATIONS, type ReportExportRow, type ReportRow, reportParams, SQL, toAgent, toExportRow, toReport, type TokenRow} from './types.js'

type Raw = Record<string, unknown>

export class SqliteStore implements CollectorStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database

  constructor(file: string) {
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('foreign_keys = ON')
    // Another process (an export while the server runs) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000')
  }

  async migrate(): Promise<void> {
    this.db.exec(SQL.migrationsTable)
    const applied = new Set((this.db.prepare(SQL.appliedVersions).all() as Raw[]).map((r) => Number(r.version)))
    MIGRATIONS.forEach((statements, index) => {
      const version = index + 1
      if (applied.has(version)) return
      this.db.transaction(() => {
        for (const statement of statements) this.db.exec(statement)
        this.db.prepare(SQL.recordMigration).run(version, new Date().toISOString())
      }).immediate()
    })
  }

  async close(): Promise<void> {
    this.db.close()
  }

  async insertToken(token: TokenRow): Promise<void> {
    this.db.prepare(SQL.insertToken).run(token.hash, token.expires_at, token.uses_left)
  }

  async enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.prepare(SQL.useToken).run(tokenHash, now).changes !== 1) return false
      this.db.prepare(SQL.insertAgent).run(...agentParams(agent))
      return true
    }).immediate()
  }

  async getAgent(agentId: string): Promise<AgentRow | null> {
    const row = this.db.prepare(SQL.getAgent).get(agentId) as Raw | undefined
    return row ? toAgent(row) : null
  }

  async listAgents(): Promise<AgentRow[]> {
    return (this.db.prepare(SQL.listAgents).all() as Raw[]).map(toAgent)
  }

  async revokeAgent(agentId: string, at: string): Promise<boolean> {
    return this.db.prepare(SQL.revokeAgent).run(at, agentId).changes === 1
  }

  async insertReport(report: ReportRow): Promise<boolean> {
    return this.db.transaction(() => {
      const inserted = this.db.prepare(SQL.insertReport).run(...reportParams(report)).changes === 1
      this.db.prepare(SQL.touchAgent).run(report.received_at, report.agent_id)
      return inserted
    }).immediate()
  }

  async listReports(agentId?: string): Promise<ReportRow[]> {
    const rows = agentId === undefined ? this.db.prepare(SQL.listReports).all() : this.db.prepare(SQL.listAgentReports).all(agentId)
    return (rows as Raw[]).map(toReport)
  }

  async exportReports(): Promise<ReportExportRow[]> {
    return (this.db.prepare(SQL.exportReports).all() as Raw[]).map(toExportRow)
  }
}
