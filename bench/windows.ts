// `npm run bench:windows`: the Windows figures of docs/benchmarks.md (issue #9), measured on the
// real code paths with the recording exec of test/helpers/windows-spawns.ts:
// - processes one Windows audit starts (goal: one PowerShell, at most three console tools);
// - the longest command line each Windows path would hand CreateProcess (limit 32,767);
// - the time to `audit --replay` a full Windows 11 recording: the job in-process, and the built
//   CLI end to end (Node and oclif start-up included). Goal ≤ 300 ms.
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {gatherReplayed} from '../src/facts/recording/gather-recorded.js'
import {loadPolicy} from '../src/policy/load-policy.js'
import {buildReport} from '../src/report/build-report.js'
import {CREATE_PROCESS_LIMIT} from '../src/os/windows-command-line.js'
import {recordingDir} from '../test/fixtures/win32/build-recordings.js'
import {windowsSpawns} from '../test/helpers/windows-spawns.js'
import {median} from './stats.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.env.BENCH_RUNS ?? 20)
const recording = recordingDir('dirty')

console.log(`nm-guard bench:windows — ${new Date().toISOString()} — node ${process.version}, ${process.platform}-${process.arch}`)

const spawns = await windowsSpawns()
const auditPs = spawns.audit.filter((s) => /powershell\.exe$/i.test(s.file)).length
console.log(`\nProcesses one Windows audit starts: ${spawns.audit.length} (PowerShell ${auditPs}, console tools ${spawns.audit.length - auditPs})`)
console.log('\n| path | processes | longest command line (chars) | of the limit | script on stdin (chars) |')
console.log('|---|---|---|---|---|')
for (const [path, list] of Object.entries(spawns)) {
  const longest = Math.max(...list.map((s) => s.commandLine.length))
  const stdin = Math.max(0, ...list.map((s) => s.stdin.length))
  console.log(`| ${path} | ${list.length} | ${longest} | ${((100 * longest) / CREATE_PROCESS_LIMIT).toFixed(1)} % | ${stdin} |`)
}

// In-process: the replay gathering (parsers) plus the policy evaluation, after one warm-up.
const policy = await loadPolicy(undefined)
const job = async (): Promise<number> => {
  const started = performance.now()
  buildReport(await gatherReplayed(recording), policy, {})
  return performance.now() - started
}
await job()
const inProcess: number[] = []
for (let i = 0; i < runs; i++) inProcess.push(await job())

// End to end: the built CLI, as an operator or a maintainer would run it, beside the start-up any
// command pays (`playbook` prints a fixed text), interleaved so both see the same machine.
const cli: number[] = []
const baseline: number[] = []
const timed = (args: string[], expected: number): number => {
  const started = performance.now()
  const r = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {stdio: 'ignore'})
  if (r.status !== expected) throw new Error(`${args.join(' ')} exited ${r.status}`)
  return performance.now() - started
}
for (let i = 0; i < Math.max(5, Math.round(runs / 2)); i++) {
  cli.push(timed(['audit', '--replay', recording, '--format', 'json'], 3))
  baseline.push(timed(['playbook', '--lang', 'en'], 0))
}
console.log('\n| `audit --replay` of a full Windows 11 recording | runs | median ms | range ms |')
console.log('|---|---|---|---|')
console.log(`| in-process (replay + evaluation) | ${inProcess.length} | ${median(inProcess).toFixed(1)} | ${Math.min(...inProcess).toFixed(1)}–${Math.max(...inProcess).toFixed(1)} |`)
console.log(`| built CLI, end to end (\`node bin/run.js audit --replay … --format json\`) | ${cli.length} | ${median(cli).toFixed(0)} | ${Math.min(...cli).toFixed(0)}–${Math.max(...cli).toFixed(0)} |`)
console.log(`| for comparison: Node + oclif start-up of any command (\`node bin/run.js playbook\`) | ${baseline.length} | ${median(baseline).toFixed(0)} | ${Math.min(...baseline).toFixed(0)}–${Math.max(...baseline).toFixed(0)} |`)
