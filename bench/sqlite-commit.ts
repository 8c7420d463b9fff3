// `npm run bench:sqlite-commit`: what group commit buys under `synchronous=FULL` (issue #11 1.2).
// One 28 KB report row per insert, in WAL mode on the disk that holds the OS temp folder, committed
// one per transaction (what each request would cost alone) and in batches of 10 and 50 (what the
// collector's group commit makes of a burst), BENCH_COMMITS (100) commits each, FULL then NORMAL.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import Database from 'better-sqlite3'

const COMMITS = Number(process.env.BENCH_COMMITS ?? 100)
const dir = mkdtempSync(join(tmpdir(), 'nmg-bench-commit-'))
const db = new Database(join(dir, 'bench.db'))
db.pragma('journal_mode = WAL')
db.exec('CREATE TABLE reports (report_id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
const insert = db.prepare('INSERT INTO reports (body) VALUES (?)')
const body = JSON.stringify({results: Array.from({length: 60}, (_, i) => ({id: `check-${i}`, title: {zh: '屏幕锁定时间不超过十分钟'.repeat(8), en: 'Screen lock'.repeat(8)}, status: 'pass'}))}).slice(0, 28_000)

console.log(`nm-guard bench:sqlite-commit — ${new Date().toISOString()} — node ${process.version}`)
console.log('\n| synchronous | reports per commit | ms per commit | ms per report |\n|---|---|---|---|')
for (const mode of ['FULL', 'NORMAL']) {
  db.pragma(`synchronous = ${mode}`)
  for (const batch of [1, 10, 50]) {
    const commit = db.transaction(() => {
      for (let i = 0; i < batch; i++) insert.run(body)
    })
    commit.immediate()
    const started = performance.now()
    for (let i = 0; i < COMMITS; i++) commit.immediate()
    const perCommit = (performance.now() - started) / COMMITS
    console.log(`| ${mode} | ${batch} | ${perCommit.toFixed(2)} | ${(perCommit / batch).toFixed(3)} |`)
  }
}
db.close()
rmSync(dir, {force: true, recursive: true})
