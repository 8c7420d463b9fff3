// The collector killed mid-stream (SIGKILL: no shutdown code runs) while 20 agents send through
// their real queue and uploader: every report it acknowledged must be in the database exactly once,
// every other one still in its agent's queue, and after a restart the agents deliver the rest —
// nothing lost, nothing stored twice.
import type {ChildProcess} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'

import {expect} from 'chai'

import type {AgentPaths} from '../../src/agent/paths.js'
import {enqueue, flushQueue, type FlushResult} from '../../src/agent/queue.js'
import {createUploader} from '../../src/agent/uploader.js'
import {defaultDbUrl, openStore} from '../../src/collector/store/open-store.js'
import {freePort, serveCollector as serve, stopCollector as kill} from '../helpers/collector-process.js'
import {enrollAgent, prepareCollector, sampleReport} from '../helpers/enrolled-agent.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../helpers/postgres.js'
import {requirePart} from '../helpers/require-part.js'
import {storedReports} from '../helpers/stored-reports.js'

const AGENTS = 20
const REPORTS_PER_AGENT = 8

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
      const {db, dir, caFingerprint, token} = await prepareCollector('nmg-crash-', (d) => (backend === 'sqlite' ? defaultDbUrl(d) : freshDatabase()), AGENTS)
      const port = await freePort()
      child = await serve(dir, db, port)
      const url = `https://127.0.0.1:${port}`
      const agents = await Promise.all(
        Array.from({length: AGENTS}, async () => {
          const {identity, paths} = await enrollAgent(url, caFingerprint, token, 'nmg-crash-agent-')
          const ids: string[] = []
          for (let n = 0; n < REPORTS_PER_AGENT; n++) {
            const at = new Date(Date.UTC(2026, 0, 10, 8, n))
            const report = sampleReport(identity.agent_id, at.toISOString())
            // Distinct, increasing stamps keep the queue in order.
            await enqueue(paths, report, at)
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
              return await flushQueue(paths, async (body, path) => {
                const answer = await uploader.send(body, path)
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
        const stored = (await storedReports(check)).map((r) => r.report_id)
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
        const stored = (await storedReports(final)).map((r) => r.report_id)
        expect(stored.length).to.equal(all.length)
        expect([...stored].sort()).to.deep.equal([...all].sort())
      } finally {
        await final.close()
      }
    })
  })
}
