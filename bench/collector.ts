// `npm run bench:collector`: the collector's two hot paths on SQLite and PostgreSQL (docs/benchmarks.md,
// issue #4), loopback only, every loop bounded:
//   ingest — `nm-guard collector serve` as its own process (bin/dev.js); BENCH_AGENTS (50) enrolled
//            agents, each with the agent's real uploader (one keep-alive mutual-TLS connection), post
//            BENCH_PER_AGENT (40) report@1 documents built by buildReport from the win32 dirty
//            snapshot (~27 KB each, a fresh report_id each) concurrently; reports/s = stored / wall time.
//   fleet  — BENCH_FLEET_AGENTS (10,000) agents × BENCH_FLEET_REPORTS (30) reports seeded straight
//            into the database in large transactions, then the overview (fleet(), what GET
//            /api/v1/fleet answers) timed BENCH_QUERY_RUNS (15) times after one warm-up.
// PostgreSQL: BENCH_PG_URL, or else the tests' throwaway server (unix socket, fsync=off).
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, readFileSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import Database from 'better-sqlite3'
import pg from 'pg'

import {enroll, requireIdentity} from '../src/agent/enrollment.js'
import {agentPaths} from '../src/agent/paths.js'
import {createUploader} from '../src/agent/uploader.js'
import {initCollectorDir, newToken, sha256Hex} from '../src/collector/collector-dir.js'
import {fleet} from '../src/collector/fleet.js'
import {defaultDbUrl, openStore} from '../src/collector/store/open-store.js'
import {MIGRATIONS, SQL} from '../src/collector/store/types.js'
import {loadFacts} from '../src/facts/load-facts.js'
import {loadPolicy} from '../src/policy/load-policy.js'
import {buildReport} from '../src/report/build-report.js'
import {freshDatabase, postgresBinDir} from '../test/helpers/postgres.js'

const AGENTS = Number(process.env.BENCH_AGENTS ?? 50)
const PER_AGENT = Number(process.env.BENCH_PER_AGENT ?? 40)
const FLEET_AGENTS = Number(process.env.BENCH_FLEET_AGENTS ?? 10_000)
const FLEET_REPORTS = Number(process.env.BENCH_FLEET_REPORTS ?? 30)
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 15)
const ROOT = new URL('..', import.meta.url).pathname
const FIXTURE = join(ROOT, 'test', 'fixtures', 'win32', 'snapshot-dirty.json')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as {port: number}
      probe.close(() => resolve(port))
    })
  })
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsRequest({agent: false, host: '127.0.0.1', path: '/healthz', port, rejectUnauthorized: false, timeout: 2000}, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

async function serve(dir: string, db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), join(ROOT, 'bin', 'dev.js'), 'collector', 'serve', '--dir', dir, '--db', db, '--port', String(port)], {stdio: ['ignore', 'ignore', 'inherit']})
  for (let i = 0; i < 240; i++) {
    if (await healthy(port)) return child
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 250))
  }
  child.kill('SIGKILL')
  throw new Error('the collector did not come up')
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

async function ingest(label: string, dbFor: (dir: string) => Promise<string>): Promise<void> {
  const dir = join(mkdtempSync(join(tmpdir(), 'nmg-bench-')), 'c')
  const init = initCollectorDir(dir, ['127.0.0.1'])
  const db = await dbFor(dir)
  const token = newToken('nmg_enroll')
  const setup = await openStore(db)
  await setup.insertToken({expires_at: new Date(Date.now() + 3_600_000).toISOString(), hash: sha256Hex(token), uses_left: AGENTS})
  await setup.close()
  const port = await freePort()
  const child = await serve(dir, db, port)
  try {
    const [facts, policy] = await Promise.all([loadFacts(FIXTURE), loadPolicy()])
    const agents: {template: string; templateId: string; uploader: ReturnType<typeof createUploader>}[] = []
    for (let i = 0; i < AGENTS; i++) {
      const paths = agentPaths(mkdtempSync(join(tmpdir(), 'nmg-bench-agent-')))
      await enroll({caFingerprint: init.ca_fingerprint, force: false, paths, token, url: `https://127.0.0.1:${port}`})
      const identity = await requireIdentity(paths)
      const report = buildReport(facts, policy, {agentId: identity.agent_id})
      agents.push({template: JSON.stringify(report), templateId: report.report_id, uploader: createUploader(identity, 60_000)})
    }
    const bytes = (agents[0]?.template.length ?? 0) / 1024
    // One report each first, untimed: every connection's TLS handshake done before the clock starts.
    const send = async (agent: (typeof agents)[number]): Promise<void> => {
      const answer = await agent.uploader.send(agent.template.replace(agent.templateId, randomUUID()))
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
    await stop(child)
  }
}

/** Seeds agents and reports in large transactions with the store's own statements, then lets migration 2's backfill set each agent's latest pointer. */
async function seedSqlite(file: string, rows: () => Generator<{agent: unknown[]; reports: unknown[][]}>): Promise<void> {
  const db = new Database(file)
  const agent = db.prepare(SQL.insertAgent)
  const report = db.prepare(SQL.insertReport)
  let batch: {agent: unknown[]; reports: unknown[][]}[] = []
  const flush = db.transaction(() => {
    for (const b of batch) {
      agent.run(...b.agent)
      for (const r of b.reports) report.run(...r)
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
    for (const statement of (MIGRATIONS[1] as string[]).filter((s) => s.startsWith('UPDATE'))) db.exec(statement)
  })()
  db.exec('ANALYZE')
  db.close()
}

async function seedPostgres(url: string, rows: () => Generator<{agent: unknown[]; reports: unknown[][]}>): Promise<void> {
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
    await client.query(...multi('agents', 'agent_id, hostname, cert_fingerprint, cert_serial, enrolled_at, revoked_at, last_seen', 7, agents))
    for (let i = 0; i < reports.length; i += 1000) await client.query(...multi('reports', 'report_id, agent_id, generated_at, received_at, score, failing, body', 7, reports.slice(i, i + 1000)))
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
  for (const statement of (MIGRATIONS[1] as string[]).filter((s) => s.startsWith('UPDATE'))) await client.query(statement)
  await client.query('VACUUM ANALYZE')
  await client.end()
}

async function overview(label: string, db: string, seed: (rows: () => Generator<{agent: unknown[]; reports: unknown[][]}>) => Promise<void>): Promise<void> {
  const [facts, policy] = await Promise.all([loadFacts(FIXTURE), loadPolicy()])
  const sample = buildReport(facts, policy, {agentId: 'seed'})
  // The overview never reads bodies: the seed stores a trimmed one (summary only) to keep the
  // database at a size this disk writes in seconds rather than minutes.
  const body = JSON.stringify({...sample, results: []})
  const failing = JSON.stringify(sample.results.filter((r) => r.status === 'fail').map((r) => r.id))
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
  await seed(rows)
  const seedSeconds = (performance.now() - seeded) / 1000
  const store = await openStore(db)
  try {
    const now = new Date(base + FLEET_REPORTS * 86_400_000)
    const warm = await fleet(store, now, 3)
    if (warm.length !== FLEET_AGENTS || warm.some((f) => f.last_report_at === null)) throw new Error('the overview is missing agents or reports')
    const ms: number[] = []
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t = performance.now()
      await fleet(store, now, 3)
      ms.push(performance.now() - t)
    }
    ms.sort((x, y) => x - y)
    const median = ms[Math.floor(ms.length / 2)] as number
    console.log(`fleet ${label}: ${FLEET_AGENTS} agents × ${FLEET_REPORTS} reports (seeded in ${seedSeconds.toFixed(1)} s): overview median ${median.toFixed(1)} ms, min ${(ms[0] as number).toFixed(1)} ms, max ${(ms.at(-1) as number).toFixed(1)} ms over ${QUERY_RUNS} runs`)
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
  await overview('SQLite', `sqlite:${file}`, (rows) => seedSqlite(file, rows))
  const url = await pgUrl()
  if (url) {
    await (await openStore(url)).close()
    await overview('PostgreSQL', url, (rows) => seedPostgres(url, rows))
  } else {
    console.log('fleet PostgreSQL: skipped (no BENCH_PG_URL and no PostgreSQL binaries)')
  }
}
