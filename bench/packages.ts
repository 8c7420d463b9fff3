// `npm run bench:packages`: the figures of docs/benchmarks.md for issue #10, from the project's
// own build: every package's size and build time, then the amd64 agent .deb installed on this
// machine (root): install time, `nm-guard --version` and a warm `nm-guard audit`, beside the same
// commands on the checkout's CLI (`node bin/run.js`, what an npm install runs). The package is
// purged afterwards; root's nm-guard state is set aside for the run and put back.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, renameSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {buildPackages} from '../packaging/build.js'
import {median} from './stats.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.env.BENCH_RUNS ?? 15)
const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8'}

console.log(`nm-guard bench:packages — ${new Date().toISOString()} — build node ${process.version}, ${process.platform}-${process.arch}`)

const out = mkdtempSync(join(tmpdir(), 'nmg-bench-packages-'))
const started = performance.now()
const built = await buildPackages({outDir: out, root})
const total = (performance.now() - started) / 1000
console.log('\n| package | size (MB) | goal | build (s) |')
console.log('|---|---|---|---|')
for (const item of built) {
  const agent = item.artifact !== 'collector-deb-amd64'
  console.log(`| ${item.file.split('/').pop()} | ${(item.bytes / 1e6).toFixed(1)} | ${agent ? '≤ 45' : '—'} | ${item.seconds.toFixed(1)} |`)
}
console.log(`\n\`npm run package\` equivalent (bundles, stages and all five packages): ${total.toFixed(1)} s`)

function time(argv: string[]): number {
  const start = performance.now()
  const r = spawnSync(argv[0] as string, argv.slice(1), {cwd: tmpdir(), env, stdio: 'ignore'})
  if (r.status !== 0 && r.status !== 3) throw new Error(`${argv.join(' ')}: exit ${r.status}`)
  return performance.now() - start
}

function medianOf(argv: string[], n: number): number {
  time(argv)
  return median(Array.from({length: n}, () => time(argv)))
}

const deb = built.find((b) => b.artifact === 'agent-deb-amd64')?.file as string
const aside = ['/var/lib/nm-guard', '/etc/nm-guard'].filter((d) => existsSync(d))
for (const dir of aside) renameSync(dir, `${dir}.bench-aside`)
try {
  const start = performance.now()
  const install = spawnSync('/usr/bin/apt-get', ['install', '-y', '--no-install-recommends', deb], {env, stdio: 'ignore'})
  const installSeconds = (performance.now() - start) / 1000
  if (install.status !== 0) throw new Error(`apt-get install ${deb}: exit ${install.status}`)
  const checkout = [process.execPath, join(root, 'bin', 'run.js')]
  const rows: [string, string[], string[], string][] = [
    ['`nm-guard --version`', ['/usr/bin/nm-guard', '--version'], [...checkout, '--version'], '≤ 100 ms'],
    ['`nm-guard audit --format json` (warm)', ['/usr/bin/nm-guard', 'audit', '--format', 'json'], [...checkout, 'audit', '--format', 'json'], '≤ 600 ms, no slower than the checkout'],
    ['`node -e 0` (the runtime alone)', ['/usr/lib/nm-guard/node', '-e', '0'], [process.execPath, '-e', '0'], '—'],
  ]
  console.log(`\nInstall time of the .deb (\`apt-get install ./${deb.split('/').pop()}\`, no enrollment configured): ${installSeconds.toFixed(1)} s`)
  console.log(`\nMedian of ${runs} runs after one warm-up, as root:\n`)
  console.log('| command | installed .deb (ms) | checkout, `node bin/run.js` (ms) | goal |')
  console.log('|---|---|---|---|')
  for (const [name, installed, dev, goal] of rows) console.log(`| ${name} | ${medianOf(installed, runs).toFixed(0)} | ${medianOf(dev, runs).toFixed(0)} | ${goal} |`)
} finally {
  spawnSync('/usr/bin/dpkg', ['--purge', 'nm-guard-agent'], {env, stdio: 'ignore'})
  for (const dir of aside) {
    rmSync(dir, {force: true, recursive: true})
    renameSync(`${dir}.bench-aside`, dir)
  }
  rmSync(out, {force: true, recursive: true})
}
