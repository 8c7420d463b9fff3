// The collector killed mid-stream (SIGKILL: no shutdown code runs) while 20 agents send through
// their real queue and uploader: every report it acknowledged must be in the database exactly once,
// every other one still in its agent's queue, and after a restart the agents deliver the rest —
// nothing lost, nothing stored twice.
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {enroll, requireIdentity} from '../../src/agent/enrollment.js'
import {type AgentPaths, agentPaths} from '../../src/agent/paths.js'
import {enqueue, flushQueue, type FlushResult} from '../../src/agent/queue.js'
import {createUploader} from '../../src/agent/uploader.js'
import {initCollectorDir, newToken, sha256Hex} from '../../src/collector/collector-dir.js'
import {defaultDbUrl, openStore} from '../../src/collector/store/open-store.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../helpers/postgres.js'
import {requirePart} from '../helpers/require-part.js'

const AGENTS = 20
const REPORTS_PER_AGENT = 8
const DEV = new URL('../../bin/dev.js', import.meta.url).pathname

function sampleReport(agentId: string, n: number): {report_id: string} & Record<string, unknown> {
  const text = {zh: '检查', en: 'check'}
  const at = new Date(Date.UTC(2026, 0, 10, 8, n)).toISOString()
  return {
    schema: 'nm-guard/report@1',
    report_id: randomUUID(),
    generated_at: at,
    agent: {id: agentId, hostname: 'gc-pc', platform: 'win32', nm_guard_version: '0.1.0'},
    host: {hostname: 'gc-pc', platform: 'win32', os_name: 'Windows 11', os_version: '10.0.22631', arch: 'x64'},
    unit: null,
    policy: {id: 'gaocheng-2023', version: '1', sha256: 'a'.repeat(64), title: text},
    facts: {collected_at: at, sha256: 'b'.repeat(64), unavailable: {}},
    summary: {pass: 1, fail: 1, error: 0, not_applicable: 0, score: 0.5},
    results: [
      {id: 'screen-lock', title: text, severity: 'high', status: 'fail'},
      {id: 'firewall-on', title: text, severity: 'high', status: 'pass'},
    ],
  }
}

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
    const req = httpsRequest({host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 2000}, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

async function serve(dir: string, db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DEV, 'collector', 'serve', '--dir', dir, '--db', db, '--port', String(port), '--host', '127.0.0.1'], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  // Bounded wait: 60 s for tsx to compile and the server to listen.
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`collector exited early: ${stderr}`)
    if (await healthy(port)) return child
    await new Promise((r) => setTimeout(r, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`collector did not come up: ${stderr}`)
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

const queued = (paths: AgentPaths): string[] => (existsSync(paths.queue) ? readdirSync(paths.queue).filter((n) => n.endsWith('.json')) : [])
const idOf = (name: string): string => name.slice(-41, -5)

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`collector crash under load (${backend})`, function () {
    this.timeout(300_000)
    let child: ChildProcess | undefined

    after(async () => {
      if (child) await kill(child)
    })

    it('keeps every acknowledged report exactly once and every other one queued, then delivers the rest', async function () {
      if (backend === 'postgres') requirePart(this, postgresBinDir() !== null, POSTGRES_PACKAGE)
      const dir = join(mkdtempSync(join(tmpdir(), 'nmg-crash-')), 'c')
      const init = initCollectorDir(dir, ['127.0.0.1'])
      const db = backend === 'sqlite' ? defaultDbUrl(dir) : await freshDatabase()
      const token = newToken('nmg_enroll')
      const setup = await openStore(db)
      await setup.insertToken({hash: sha256Hex(token), expires_at: new Date(Date.now() + 3_600_000).toISOString(), uses_left: AGENTS})
      await setup.close()

      const port = await freePort()
      child = await serve(dir, db, port)
      const url = `https://127.0.0.1:${port}`
      const agents = await Promise.all(
        Array.from({length: AGENTS}, async () => {
          const paths = agentPaths(mkdtempSync(join(tmpdir(), 'nmg-crash-agent-')))
          await enroll({caFingerprint: init.ca_fingerprint, force: false, paths, token, url})
          const identity = await requireIdentity(paths)
          const ids: string[] = []
          for (let n = 0; n < REPORTS_PER_AGENT; n++) {
            const report = sampleReport(identity.agent_id, n)
            // Distinct, increasing stamps keep the queue in order.
            await enqueue(paths, report, new Date(Date.UTC(2026, 0, 10, 8, n)))
            ids.push(report.report_id)
          }
          return {identity, ids, paths}
        }),
      )
      const all = agents.flatMap((a) => a.ids)

      // Every answer the agents got, by report id; the kill comes once a third were acknowledged.
      const acked = new Set<string>()
      const target = Math.floor(all.length / 3)
      let killed: Promise<void> | undefined
      const flushAll = (): Promise<FlushResult[]> =>
        Promise.all(
          agents.map(async ({identity, paths}) => {
            const uploader = createUploader(identity, 10_000)
            try {
              return await flushQueue(paths, async (body) => {
                const answer = await uploader.send(body)
                if (answer.status === 200 || answer.status === 201) {
                  acked.add((JSON.parse(body) as {report_id: string}).report_id)
                  if (acked.size >= target && child && !killed) killed = kill(child)
                }
                return answer
              })
            } finally {
              uploader.close()
            }
          }),
        )

      const first = await flushAll()
      expect(killed, 'the collector was never killed: the load ended first').to.not.equal(undefined)
      await killed
      expect(first.every((r) => r.rejected.length === 0)).to.equal(true)
      const unacked = all.filter((id) => !acked.has(id))
      expect(unacked.length, 'the kill came after everything was sent').to.be.greaterThan(0)

      // While it is down: acknowledged ⇒ stored once; not acknowledged ⇒ still queued.
      const check = await openStore(db)
      try {
        const stored = (await check.listReports()).map((r) => r.report_id)
        expect(new Set(stored).size).to.equal(stored.length)
        const storedSet = new Set(stored)
        for (const id of acked) expect(storedSet.has(id), `acknowledged ${id} missing`).to.equal(true)
        const stillQueued = new Set(agents.flatMap((a) => queued(a.paths).map(idOf)))
        for (const id of unacked) expect(stillQueued.has(id), `unacknowledged ${id} not queued`).to.equal(true)
        for (const id of acked) expect(stillQueued.has(id), `acknowledged ${id} still queued`).to.equal(false)
      } finally {
        await check.close()
      }

      child = await serve(dir, db, port)
      const second = await flushAll()
      expect(second.map((r) => r.unreachable)).to.deep.equal(agents.map(() => null))
      for (const agent of agents) expect(queued(agent.paths)).to.deep.equal([])
      await kill(child)
      child = undefined

      const final = await openStore(db)
      try {
        const stored = (await final.listReports()).map((r) => r.report_id)
        expect(stored.length).to.equal(all.length)
        expect([...stored].sort()).to.deep.equal([...all].sort())
      } finally {
        await final.close()
      }
    })
  })
}
