// A recorded-output stand-in for the collectors' `exec` seam, and a context built around it.
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {FactError, missingTool} from '../../src/os/fact-error.js'
import {toolName} from '../../src/os/tools.js'
import {makeContext} from '../../src/facts/gather.js'
import type {CollectContext, Exec, ExecOptions, ExecResult, Platform} from '../../src/facts/types.js'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

/** Reads test/fixtures/<relative> as bytes. */
export const fixtureBytes = (relative: string): Buffer => readFileSync(join(FIXTURES, relative))
/** Reads test/fixtures/<relative> as UTF-8 text. */
export const fixture = (relative: string): string => fixtureBytes(relative).toString('utf8')

export type FakeAnswer = Error | Partial<ExecResult> | string

/**
 * `answers` maps "file arg1 arg2" (or just "file") to what it prints; a missing key behaves as
 * a program that is not installed. `file` may be the absolute path the OS layer resolved or the
 * tool's bare name ("nft" answers for /usr/sbin/nft, "netsh" for C:\Windows\System32\netsh.exe).
 * Every call is recorded in `calls`, as spawned.
 */
export function fakeExec(answers: Record<string, FakeAnswer>): Exec & {calls: string[][]; inputs: Array<Buffer | string | undefined>} {
  const calls: string[][] = []
  const inputs: Array<Buffer | string | undefined> = []
  const run = (async (file: string, args: string[], options?: ExecOptions) => {
    calls.push([file, ...args])
    inputs.push(options?.input)
    const names = [file, toolName(file), `${toolName(file)}.exe`]
    const answer = [...names.map((name) => [name, ...args].join(' ')), ...names].map((key) => answers[key]).find((a) => a !== undefined)
    if (answer === undefined) throw missingTool(file.split(/[\\/]/).pop() ?? file)
    if (answer instanceof Error) throw answer
    const result = typeof answer === 'string' ? {stdout: answer} : answer
    const stdout = result.stdout ?? result.raw?.toString('utf8') ?? ''
    return {code: result.code ?? 0, raw: result.raw ?? Buffer.from(stdout), stderr: result.stderr ?? '', stdout}
  }) as Exec & {calls: string[][]; inputs: Array<Buffer | string | undefined>}
  run.calls = calls
  run.inputs = inputs
  return run
}

export const timeoutError = (file: string): FactError => new FactError('timeout', `${file} timed out`)

/** A collect context for tests: fake exec, fixed clock, no real cache or admin probe. */
export function testContext(platform: Platform, overrides: Partial<CollectContext> = {}): CollectContext {
  return makeContext(platform, {
    cached: (_key, _fingerprint, compute) => compute(),
    env: {},
    exec: fakeExec({}),
    isAdmin: async () => true,
    now: () => new Date('2026-11-27T08:00:00Z'),
    stateDir: '/nonexistent/nm-guard-test',
    ...overrides,
  })
}
