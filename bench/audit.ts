// `npm run bench`: the speed figures of docs/benchmarks.md for the built CLI (bin/run.js):
// warm `audit --format json` (median wall, peak RSS), cold (no fact cache), and `--version`.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {median} from './stats.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const runJs = join(root, 'bin', 'run.js')
const probe = join(root, 'bench', 'rss-probe.mjs')

interface Sample {
  ms: number
  rssMb: number
  code: null | number
}

function once(args: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--import', probe, runJs, ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'inherit', 'pipe']})
    let rss = ''
    child.stdio[3]?.on('data', (d: Buffer) => (rss += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      resolve({code, ms, rssMb: Number(rss.trim()) / 1024})
    })
  })
}


async function series(label: string, runs: number, args: string[], fresh: boolean): Promise<string> {
  const shared = mkdtempSync(join(tmpdir(), 'nmg-bench-'))
  if (!fresh) await once(args, {NMG_STATE_DIR: shared}) // fill the cache once
  const samples: Sample[] = []
  for (let i = 0; i < runs; i++) {
    const dir = fresh ? mkdtempSync(join(tmpdir(), 'nmg-bench-cold-')) : shared
    samples.push(await once(args, {NMG_STATE_DIR: dir}))
    if (fresh) rmSync(dir, {force: true, recursive: true})
  }
  rmSync(shared, {force: true, recursive: true})
  const ms = samples.map((s) => s.ms)
  const rss = samples.map((s) => s.rssMb)
  const codes = [...new Set(samples.map((s) => s.code))].join('/')
  return `| ${label} | ${runs} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} | ${Math.max(...rss).toFixed(1)} | ${codes} |`
}

const runs = Number(process.env.BENCH_RUNS ?? 15)
console.log(`nm-guard bench — ${new Date().toISOString()} — node ${process.version}, ${process.platform}-${process.arch}`)
console.log('| what | runs | median ms | range ms | peak RSS MB | exit |')
console.log('|---|---|---|---|---|---|')
console.log(await series('`nm-guard audit --format json` (warm cache)', runs, ['audit', '--format', 'json'], false))
console.log(await series('`nm-guard audit --format json` (cold: empty state dir)', Math.max(3, Math.round(runs / 3)), ['audit', '--format', 'json'], true))
console.log(await series('`nm-guard --version`', runs, ['--version'], false))
