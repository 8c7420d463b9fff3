// Windows test seams: recorded fragment output (test/fixtures/win32/*.json, as PowerShell 5.1's
// ConvertTo-Json writes it) fed through the real PowerShell batch with a fake powershell.exe.
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import type {CollectContext} from '../../../src/facts/types.js'
import {BEGIN_MARKER, END_MARKER} from '../../../src/os/powershell.js'

/** A recorded fragment result: the JSON array the fragment wrote. */
export const psFixture = (name: string): unknown[] => JSON.parse(fixture(`win32/${name}`)) as unknown[]

/** What the fake powershell.exe prints: one batch object keyed by fragment name. */
export type BatchAnswer = Record<string, unknown>

/** What powershell.exe prints for a script whose pipeline wrote `values`: framed JSON, after some host noise. */
export const psStdout = (...values: unknown[]): string => `警告: 此为配置文件打印的一行\r\n${BEGIN_MARKER}${JSON.stringify(values)}${END_MARKER}\r\n`

/** The scripts a fake powershell.exe was given (on stdin). */
export const sentScripts = (inputs: Array<Buffer | string | undefined>): string[] => inputs.map((input) => (input === undefined ? '' : input.toString()))

/** A win32 context whose powershell.exe prints `batch` (or fails as given). */
export function winContext(batch: BatchAnswer | Error, overrides: Partial<CollectContext> = {}): CollectContext & {scripts: () => string[]} {
  const exec = fakeExec({'powershell.exe': batch instanceof Error ? batch : {stdout: psStdout(batch)}})
  const ctx = testContext('win32', {exec, ...overrides})
  /** The PowerShell scripts that ran (sent on stdin). */
  const scripts = (): string[] => sentScripts(exec.inputs)
  return Object.assign(ctx, {scripts})
}

/** A win32 context with no powershell.exe at all. */
export const noPowerShell = (): CollectContext => testContext('win32', {exec: fakeExec({})})

/** The batch's answer for a fragment that threw "access is denied". */
export const denied = (message = 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))'): {__nmg_error: string} => ({__nmg_error: message})
