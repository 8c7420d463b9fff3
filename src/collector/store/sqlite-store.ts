// SQLite backend (better-sqlite3, WAL): the default, one file in the collector's folder.
import {closeSync, existsSync, openSync} from 'node:fs'

import Database from 'better-sqlite3'

import {agentParams, type AgentRow, type AgentWithLatest, type ClauseRow, type CollectorStore, incidentParams, type IncidentRow, IdListCache, latestParams, MIGRATIONS, type Raw, type ReportExportRow, type ReportRow, reportParams, setIncidentParams, SQL, toAgent, toAgentWithLatest, toClause, toExportRow, toIncident, toReport, type TokenRow} from './types.js'

/** At most this many reports in one group commit (bounds one transaction's time and memory). */
const MAX_BATCH = 256

export class SqliteStore implements CollectorStore {
  readonly kind = 'sqlite'
  private readonly db: Database.Database
  private readonly pending: {report: ReportRow; resolve: (inserted: boolean) => void; reject: (error: unknown) => void}[] = []
  /** Prepared once per statement: preparing costs as much as running a small one. */
  private readonly statements = new Map<string, Database.Statement>()

  constructor(file: string) {
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
        this.db.prepare(SQL.recordMigration).run(version, new Date().toISOString())
      }).immediate()
    })
  }

  async close(): Promise<void> {
    // Reports already handed to us are committed (and answered), not dropped.
    while (this.pending.length > 0) this.commitPending()
    this.db.close()
  }

  async insertToken(token: TokenRow): Promise<void> {
    this.prepare(SQL.insertToken).run(token.hash, token.expires_at, token.uses_left)
  }

  async enrollAgent(tokenHash: string, now: string, agent: AgentRow): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.prepare(SQL.useToken).run(tokenHash, now).changes !== 1) return false
      this.prepare(SQL.insertAgent).run(...agentParams(agent))
      return true
    }).immediate()
  }

  async tokenUsable(tokenHash: string, now: string): Promise<boolean> {
    return this.prepare(SQL.tokenUsable).get(tokenHash, now) !== undefined
  }

  async incidentAgent(noticeId: string): Promise<null | string> {
    return (this.prepare(SQL.incidentAgent).get(noticeId) as undefined | {agent_id: string})?.agent_id ?? null
  }

  async getAgent(agentId: string): Promise<AgentRow | null> {
    const row = this.prepare(SQL.getAgent).get(agentId) as Raw | undefined
    return row ? toAgent(row) : null
  }

  async listAgents(): Promise<AgentRow[]> {
    return (this.prepare(SQL.listAgents).all() as Raw[]).map(toAgent)
  }

  async revokeAgent(agentId: string, at: string): Promise<boolean> {
    return this.prepare(SQL.revokeAgent).run(at, agentId).changes === 1
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
    const inserted = this.prepare(SQL.insertReport).run(...reportParams(report)).changes === 1
    if (inserted) this.prepare(SQL.setLatest).run(...latestParams(report))
    this.prepare(SQL.touchAgent).run(report.received_at, report.agent_id)
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

  async listReports(agentId?: string): Promise<ReportRow[]> {
    const rows = agentId === undefined ? this.prepare(SQL.listReports).all() : this.prepare(SQL.listAgentReports).all(agentId)
    return (rows as Raw[]).map(toReport)
  }

  async exportReports(): Promise<ReportExportRow[]> {
    return (this.prepare(SQL.exportReports).all() as Raw[]).map(toExportRow)
  }

  async listAgentsWithLatest(): Promise<AgentWithLatest[]> {
    const lists = new IdListCache()
    return (this.prepare(SQL.listAgentsWithLatest).raw(true).all() as unknown[][]).map((row) => toAgentWithLatest(row, lists))
  }

  async getReport(reportId: string): Promise<null | ReportRow> {
    const row = this.prepare(SQL.getReport).get(reportId) as Raw | undefined
    return row ? toReport(row) : null
  }

  async saveClauses(clauses: ClauseRow[]): Promise<void> {
    this.db.transaction(() => {
      for (const c of clauses) this.prepare(SQL.saveClause).run(c.clause_id, c.text)
    }).immediate()
  }

  async listClauses(): Promise<ClauseRow[]> {
    return (this.prepare(SQL.listClauses).all() as Raw[]).map(toClause)
  }

  async insertIncident(incident: IncidentRow, bodyText: string): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.prepare(SQL.insertIncident).run(...incidentParams(incident, bodyText)).changes !== 1) return false
      this.prepare(SQL.setIncident).run(...setIncidentParams(incident))
      return true
    }).immediate()
  }

  async listIncidents(agentId: string): Promise<IncidentRow[]> {
    return (this.prepare(SQL.listIncidents).all(agentId) as Raw[]).map(toIncident)
  }
}
