// Drives every Windows code path that starts programs — the audit's gathering, disconnect (cut,
// verification, evidence), reconnect, and the scheduled task — through the real code with a
// recording exec that answers as an elevated Chinese Windows would. What it records is exactly
// what would be spawned there: the test checks it, bench/windows.ts reports its figures.
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {gatherFacts} from '../../src/facts/gather.js'
import {disconnect} from '../../src/incident/disconnect.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {toolName} from '../../src/os/tools.js'
import type {Exec, ExecOptions} from '../../src/os/types.js'
import {windowsCommandLine} from '../../src/os/windows-command-line.js'
import {buildPlan} from '../../src/schedule/plan.js'
import {openScheduler} from '../../src/schedule/scheduler.js'
import {recordingDir} from '../fixtures/win32/build-recordings.js'
import {fixtureBytes} from './fake-exec.js'
import {psStdout} from '../facts/win32/ps-fixtures.js'

export interface Spawned {
  file: string
  args: string[]
  /** What CreateProcess would receive. */
  commandLine: string
  /** What was sent on stdin (scripts go there, not on the command line). */
  stdin: string
}

export type WindowsPath = 'audit' | 'disconnect' | 'reconnect' | 'schedule install' | 'schedule status'

/** An answer per tool, as an elevated zh-CN Windows 11 prints it (GBK where the console speaks). */
function answer(file: string, args: string[], options?: ExecOptions, batch?: Buffer): {code: number; raw: Buffer; stderr: string; stdout: string} {
  const ok = (raw: Buffer | string): {code: number; raw: Buffer; stderr: string; stdout: string} => {
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8')
    return {code: 0, raw: bytes, stderr: '', stdout: bytes.toString('utf8')}
  }
  const tool = toolName(file).toLowerCase()
  if (tool === 'whoami') return ok(fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin'))
  if (tool === 'powershell') {
    const script = options?.input?.toString() ?? ''
    // The audit's batch gets the recorded PC's answer; other scripts (evidence, the cut) an empty result.
    return ok(batch && script.includes("$nmgOut['") ? batch : psStdout())
  }
  if (tool === 'netsh' && args[0] === 'advfirewall' && args[1] === 'show') return ok(fixtureBytes('win32/incident/netsh-show-allprofiles-zh-gbk.txt'))
  if (tool === 'netsh' && args[0] === 'interface' && args[1] === 'show') return ok(fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt'))
  if (tool === 'schtasks' && args[0] === '/Query') return ok(fixtureBytes('win32/schedule/query-zh-CN-ran-gbk.bin'))
  return ok('')
}

/** Runs each Windows path with a recorder; returns what each would have started, in order. */
export async function windowsSpawns(): Promise<Record<WindowsPath, Spawned[]>> {
  const batch = readFileSync(join(recordingDir('dirty'), 'powershell-batch.out'))
  const recorder = (): Exec & {spawned: Spawned[]} => {
    const spawned: Spawned[] = []
    const exec = (async (file, args, options) => {
      spawned.push({args, commandLine: windowsCommandLine(file, args), file, stdin: options?.input?.toString() ?? ''})
      return answer(file, args, options, batch)
    }) as Exec & {spawned: Spawned[]}
    exec.spawned = spawned
    return exec
  }
  const root = mkdtempSync(join(tmpdir(), 'nmg-win-spawns-'))
  const out = {} as Record<WindowsPath, Spawned[]>

  const audit = recorder()
  await gatherFacts({context: {cached: (_k, _f, compute) => compute(), env: {}, exec: audit, stateDir: root}, platform: 'win32'})
  out.audit = audit.spawned

  const cut = recorder()
  await disconnect({evidenceDir: join(root, 'evidence'), exec: cut, hostname: 'GCXMT-PC01', keepCollector: false, lang: 'zh-CN', platform: 'win32', probeTimeoutMs: 50, reason: null, root})
  out.disconnect = cut.spawned

  const back = recorder()
  await reconnect({exec: back, lang: 'zh-CN', platform: 'win32', root})
  out.reconnect = back.spawned

  const install = recorder()
  const scheduler = await openScheduler('win32', {admin: true, exec: install})
  await scheduler.install(buildPlan({binPath: 'C:\\Program Files\\nm-guard\\bin\\run.js', execPath: 'C:\\Program Files\\nm-guard\\node.exe', host: 'GCXMT-PC01', time: '12:30'}))
  out['schedule install'] = install.spawned

  const status = recorder()
  await (await openScheduler('win32', {admin: true, exec: status})).status()
  out['schedule status'] = status.spawned
  return out
}
