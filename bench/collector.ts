// `npm run bench:collector`: the collector's two hot paths on SQLite and PostgreSQL (docs/benchmarks.md,
// issue #4), loopback only, every loop bounded:
//   ingest — `nm-guard collector serve` as its own process (bin/dev.js); BENCH_AGENTS (50) enrolled
//            agents, each with the agent's real uploader (one keep-alive mutual-TLS connection), post
//            BENCH_PER_AGENT (40) report@1 documents built by buildReport from the win32 dirty
//            snapshot (~27 KB each, a fresh report_id each) concurrently; reports/s = stored / wall time.
//   fleet  — BENCH_FLEET_AGENTS (10,000) agents × BENCH_FLEET_REPORTS (30) reports seeded straight
//            into the database in large transactions, then the overview (fleet(), what GET
//            /api/v1/fleet answers) timed BENCH_QUERY_RUNS (15) times after one warm-up; then the
//            dashboard's fleet page (GET /dashboard, logged in, an in-process collector on that
//            database) timed the same way.
// PostgreSQL: BENCH_PG_URL, or else the tests' throwaway server (unix socket, fsync=off).
import {randomUUID} from 'node:crypto'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import Database from 'better-sqlite3'
import pg from 'pg'

import {createUploader} from '../src/agent/uploader.js'
import {initCollectorDir, loadCollectorDir} from '../src/collector/collector-dir.js'
import {fleet} from '../src/collector/fleet.js'
import {API} from '../src/collector/protocol.js'
import {MIGRATIONS} from '../src/collector/store/migrations.js'
import {defaultDbUrl, openStore} from '../src/collector/store/open-store.js'
import {SQL} from '../src/collector/store/sql.js'
import type {CollectorStore} from '../src/collector/store/types.js'
import {startCollector} from '../src/collector/server.js'
import {loadFacts} from '../src/facts/load-facts.js'
import {loadPolicy} from '../src/policy/load-policy.js'
import {buildReport} from '../src/report/build-report.js'
import {browserRequest} from '../test/helpers/collector-client.js'
import {freePort, serveCollector, stopCollector} from '../test/helpers/collector-process.js'
import {enrollAgent, prepareCollector} from '../test/helpers/enrolled-agent.js'
import {freshDatabase, postgresBinDir} from '../test/helpers/postgres.js'

const AGENTS = Number(process.env.BENCH_AGENTS ?? 50)
const PER_AGENT = Number(process.env.BENCH_PER_AGENT ?? 40)
const FLEET_AGENTS = Number(process.env.BENCH_FLEET_AGENTS ?? 10_000)
const FLEET_REPORTS = Number(process.env.BENCH_FLEET_REPORTS ?? 30)
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 15)
const ROOT = new URL('..', import.meta.url).pathname
const FIXTURE = join(ROOT, 'test', 'fixtures', 'win32', 'snapshot-dirty.json')

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function ingest(label: string, dbFor: (dir: string) => Promise<string>): Promise<void> {
  const {caFingerprint, db, dir, token} = await prepareCollector('nmg-bench-', dbFor, AGENTS)
  const port = await freePort()
  const child = await serveCollector(dir, db, port, (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean))
  try {
    const [facts, policy] = await Promise.all([loadFacts(FIXTURE), loadPolicy()])
    const agents: {template: string; templateId: string; uploader: ReturnType<typeof createUploader>}[] = []
    for (let i = 0; i < AGENTS; i++) {
      const {identity} = await enrollAgent(`https://127.0.0.1:${port}`, caFingerprint, token, 'nmg-bench-agent-')
      const report = buildReport(facts, policy, {agentId: identity.agent_id})
      agents.push({template: JSON.stringify(report), templateId: report.report_id, uploader: createUploader(identity, 60_000)})
    }
    const bytes = (agents[0]?.template.length ?? 0) / 1024
    // One report each first, untimed: every connection's TLS handshake done before the clock starts.
    const send = async (agent: (typeof agents)[number]): Promise<void> => {
      const answer = await agent.uploader.send(agent.template.replace(agent.templateId, randomUUID()), API.reports)
      if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status}`)
    }
    await Promise.all(agents.map((a) => send(a)))
    const started = performance.now()
    const serverCpu = cpuSeconds(child.pid)
    const clientCpu = process.cpuUsage()
    await Promise.all(
      agents.map(async (a) => {
        for (let n = 0; n < PER_AGENT; n++) await send(a)
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const serverUsed = cpuSeconds(child.pid) - serverCpu
    const clientUsage = process.cpuUsage(clientCpu)
    const clientUsed = (clientUsage.user + clientUsage.system) / 1e6
    const total = AGENTS * PER_AGENT
    for (const a of agents) a.uploader.close()
    console.log(`ingest ${label}: ${total} reports (${bytes.toFixed(1)} KB each) from ${AGENTS} agents in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} reports/s (CPU: collector ${serverUsed.toFixed(2)} s, agents ${clientUsed.toFixed(2)} s)`)
  } finally {
    await stopCollector(child, true)
  }
}

/** Seeds agents and reports in large transactions with the store's own statements, then lets migration 2's backfill set each agent's latest pointer. */
type Rows = () => Generator<{agent: unknown[]; reports: unknown[][]}>

/** Migration 2's back-fill of each agent's newest-report pointer, then `extra` (the newest report's failing clauses). */
const backfill = (extra: string): string[] => [...(MIGRATIONS[1] as string[]).filter((s) => s.startsWith('UPDATE')), extra]

/** The seed rows' columns, in order: the PostgreSQL seed's column lists and the store's named parameters. */
const AGENT_COLUMNS = ['agent_id', 'hostname', 'cert_fingerprint', 'cert_serial', 'enrolled_at', 'revoked_at', 'last_seen']
const REPORT_COLUMNS = ['report_id', 'agent_id', 'generated_at', 'received_at', 'score', 'failing', 'body']
const named = (columns: string[], values: unknown[]): Record<string, unknown> => Object.fromEntries(columns.map((c, i) => [c, values[i]]))

async function seedSqlite(file: string, rows: Rows, extra: string): Promise<void> {
  const db = new Database(file)
  const agent = db.prepare(SQL.insertAgent)
  const report = db.prepare(SQL.insertReport)
  let batch: {agent: unknown[]; reports: unknown[][]}[] = []
  const flush = db.transaction(() => {
    for (const b of batch) {
      agent.run(named(AGENT_COLUMNS, b.agent))
      for (const r of b.reports) report.run(named(REPORT_COLUMNS, r))
    }
  })
  for (const b of rows()) {
    batch.push(b)
    if (batch.length === 500) {
      flush()
      batch = []
    }
  }
  flush()
  db.transaction(() => {
    for (const statement of backfill(extra)) db.exec(statement)
  })()
  db.exec('ANALYZE')
  db.close()
}

async function seedPostgres(url: string, rows: Rows, extra: string): Promise<void> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const multi = (table: string, columns: string, width: number, values: unknown[][]): [string, unknown[]] => {
    const params: unknown[] = []
    const tuples = values.map((v) => `(${v.map((x) => (params.push(x), `$${params.length}`)).join(', ')})`)
    if (values.some((v) => v.length !== width)) throw new Error('bad row')
    return [`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, params]
  }
  let agents: unknown[][] = []
  let reports: unknown[][] = []
  const flush = async (): Promise<void> => {
    if (agents.length === 0) return
    await client.query('BEGIN')
    await client.query(...multi('agents', AGENT_COLUMNS.join(', '), AGENT_COLUMNS.length, agents))
    for (let i = 0; i < reports.length; i += 1000) await client.query(...multi('reports', REPORT_COLUMNS.join(', '), REPORT_COLUMNS.length, reports.slice(i, i + 1000)))
    await client.query('COMMIT')
    agents = []
    reports = []
  }
  for (const b of rows()) {
    agents.push(b.agent)
    reports.push(...b.reports)
    if (agents.length === 500) await flush()
  }
  await flush()
  for (const statement of backfill(extra)) await client.query(statement)
  await client.query('VACUUM ANALYZE')
  await client.end()
}

/** The dashboard's fleet page (GET /dashboard, logged in) as a browser gets it from an in-process collector on `store`. */
async function dashboardPage(store: CollectorStore, now: Date): Promise<number[]> {
  const dir = join(mkdtempSync(join(tmpdir(), 'nmg-bench-dash-')), 'c')
  const {admin_token: adminToken} = initCollectorDir(dir, ['127.0.0.1'])
  const loaded = loadCollectorDir(dir)
  const running = await startCollector({adminTokenSha256: loaded.settings.admin_token_sha256, ca: loaded.ca, now: () => now, server: loaded.server, staleDays: 3, store}, 0, '127.0.0.1')
  try {
    const jar = new Map<string, string>()
    const csrf = /name="csrf" value="([^"]+)"/.exec((await browserRequest(running.port, '/dashboard/login', {jar})).text)?.[1] ?? ''
    if ((await browserRequest(running.port, '/dashboard/login', {body: `csrf=${csrf}&token=${encodeURIComponent(adminToken)}`, jar})).status !== 303) throw new Error('dashboard login failed')
    const warm = await browserRequest(running.port, '/dashboard', {jar})
    if (warm.status !== 200 || warm.text.split('class="host"').length - 1 !== FLEET_AGENTS) throw new Error('the dashboard page is missing agents')
    const ms: number[] = []
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t = performance.now()
      await browserRequest(running.port, '/dashboard', {jar})
      ms.push(performance.now() - t)
    }
    return ms
  } finally {
    await running.close()
  }
}

function spread(ms: number[]): string {
  const sorted = [...ms].sort((x, y) => x - y)
  return `median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(1)} ms, min ${(sorted[0] as number).toFixed(1)} ms, max ${(sorted.at(-1) as number).toFixed(1)} ms over ${sorted.length} runs`
}

async function overview(label: string, db: string, seed: (rows: Rows, extra: string) => Promise<void>): Promise<void> {
  const [facts, policy] = await Promise.all([loadFacts(FIXTURE), loadPolicy()])
  const sample = buildReport(facts, policy, {agentId: 'seed'})
  // The overview never reads bodies: the seed stores a trimmed one (summary only) to keep the
  // database at a size this disk writes in seconds rather than minutes.
  const body = JSON.stringify({...sample, results: []})
  const failing = JSON.stringify(sample.results.filter((r) => r.status === 'fail').map((r) => r.id))
  const clauses = [...new Set(sample.results.filter((r) => r.status === 'fail').map((r) => r.clause.id))]
  const setClauses = `UPDATE agents SET latest_failing_clauses = '${JSON.stringify(clauses).replaceAll("'", "''")}'`
  const base = Date.UTC(2026, 0, 1)
  function* rows(): Generator<{agent: unknown[]; reports: unknown[][]}> {
    for (let a = 0; a < FLEET_AGENTS; a++) {
      const id = randomUUID()
      const enrolled = new Date(base).toISOString()
      const reports: unknown[][] = []
      for (let n = 0; n < FLEET_REPORTS; n++) {
        const at = new Date(base + n * 86_400_000 + a * 1000).toISOString()
        reports.push([randomUUID(), id, at, at, 0.5 + (n % 5) / 10, failing, body])
      }
      yield {agent: [id, `gc-pc-${String(a).padStart(5, '0')}`, 'ab'.repeat(32), '01', enrolled, null, reports.at(-1)?.[2]], reports}
    }
  }
  const seeded = performance.now()
  await seed(rows, setClauses)
  const seedSeconds = (performance.now() - seeded) / 1000
  const store = await openStore(db)
  try {
    const now = new Date(base + FLEET_REPORTS * 86_400_000)
    const warm = await fleet(store, now, 3)
    if (warm.length !== FLEET_AGENTS || warm.some((f) => f.last_report_at === null)) throw new Error('the overview is missing agents or reports')
    const ms: number[] = []
    const cpu: number[] = []
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t = performance.now()
      const used = process.cpuUsage()
      await fleet(store, now, 3)
      ms.push(performance.now() - t)
      const {system, user} = process.cpuUsage(used)
      cpu.push((user + system) / 1000)
    }
    // CPU time of this process (for PostgreSQL: the collector's side, not the database server's) is
    // less sensitive than wall time to other work on the machine.
    const cpuMedian = [...cpu].sort((x, y) => x - y)[Math.floor(cpu.length / 2)] as number
    console.log(`fleet ${label}: ${FLEET_AGENTS} agents × ${FLEET_REPORTS} reports (seeded in ${seedSeconds.toFixed(1)} s): overview ${spread(ms)}; CPU in this process median ${cpuMedian.toFixed(1)} ms`)
    console.log(`dashboard ${label}: GET /dashboard (${FLEET_AGENTS} rows, HTML over HTTPS): ${spread(await dashboardPage(store, now))}`)
  } finally {
    await store.close()
  }
}

const pgUrl = async (): Promise<null | string> => process.env.BENCH_PG_URL ?? (postgresBinDir() ? freshDatabase() : null)
const only = process.env.BENCH_ONLY ?? 'ingest,fleet'

if (only.includes('ingest')) {
  await ingest('SQLite', async (dir) => defaultDbUrl(dir))
  const url = await pgUrl()
  if (url) await ingest('PostgreSQL', async () => url)
  else console.log('ingest PostgreSQL: skipped (no BENCH_PG_URL and no PostgreSQL binaries)')
}
if (only.includes('fleet')) {
  const file = join(mkdtempSync(join(tmpdir(), 'nmg-bench-fleet-')), 'collector.db')
  await (await openStore(`sqlite:${file}`)).close()
  await overview('SQLite', `sqlite:${file}`, (rows, extra) => seedSqlite(file, rows, extra))
  const url = await pgUrl()
  if (url) {
    await (await openStore(url)).close()
    await overview('PostgreSQL', url, (rows, extra) => seedPostgres(url, rows, extra))
  } else {
    console.log('fleet PostgreSQL: skipped (no BENCH_PG_URL and no PostgreSQL binaries)')
  }
}
