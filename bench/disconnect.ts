// `npm run bench:disconnect`: time from process start to isolation in effect, and the whole run
// with evidence, for the built CLI (bin/run.js) inside the test harness's network namespace
// (test/helpers/netns.ts: never the host's own network). Needs root, ip and nft.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {createLab} from '../test/helpers/netns.js'
import {median} from './stats.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const runJs = join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS ?? 10)

interface Run {
  /** Spawn of `ip netns exec … node bin/run.js` → isolated_at (wall clock, as the harness sees it). */
  toIsolationMs: number
  /** The CLI's own figure: performance.now() at isolation (node's process start → cut). */
  selfReportedMs: number
  /** Spawn → exit: journal, cut, verification, evidence, draft, notice. */
  totalMs: number
  method: string
}

function cli(ns: string, args: string[], state: string): Promise<{code: null | number; stdout: string; startedAt: number; endedAt: number}> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now()
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, runJs, ...args], {env: {...process.env, NMG_STATE_DIR: state}, stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, endedAt: Date.now(), startedAt, stdout}))
  })
}

// The lab unrefs its children (so a test run never hangs on them): hold the event loop open here.
const keepAlive = setInterval(() => {}, 1000)
const lab = await createLab()
const samples: Run[] = []
try {
  await lab.serveTcp(8080)
  for (let i = 0; i < runs; i++) {
    const state = mkdtempSync(join(tmpdir(), 'nmg-bench-incident-'))
    const cut = await cli(lab.ns, ['disconnect', '--confirm', hostname(), '--json'], state)
    const result = JSON.parse(cut.stdout).result as {isolated_at: string; isolation_ms: number; method: string}
    if (cut.code !== 0 || (await lab.canConnect(8080, 500))) throw new Error(`run ${i}: disconnect exited ${cut.code} or did not cut`)
    samples.push({method: result.method, selfReportedMs: result.isolation_ms, toIsolationMs: Date.parse(result.isolated_at) - cut.startedAt, totalMs: cut.endedAt - cut.startedAt})
    const back = await cli(lab.ns, ['reconnect', '--confirm', hostname(), '--json'], state)
    if (back.code !== 0) throw new Error(`run ${i}: reconnect exited ${back.code}`)
    rmSync(state, {force: true, recursive: true})
  }
} finally {
  await lab.destroy()
  clearInterval(keepAlive)
}

const row = (label: string, xs: number[]): string => `| ${label} | ${xs.length} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} |`
console.log(`nm-guard bench:disconnect — ${new Date().toISOString()} — node ${process.version}, method ${[...new Set(samples.map((s) => s.method))].join('/')}`)
console.log('| what | runs | median ms | range ms |')
console.log('|---|---|---|---|')
console.log(row('spawn → isolation in effect (harness clock)', samples.map((s) => s.toIsolationMs)))
console.log(row('node start → isolation (the CLI\'s isolation_ms)', samples.map((s) => s.selfReportedMs)))
console.log(row('spawn → exit, with evidence, draft and notice', samples.map((s) => s.totalMs)))
