// Windows PowerShell 5.1, started the one way nm-guard starts it. The script travels on stdin as
// UTF-8 bytes, read by a short fixed -Command bootstrap: a command line stays a few hundred
// characters whatever the script's size (CreateProcess refuses more than 32,767), nothing is
// written to disk, and Chinese survives whatever the console code page is. (`-Command -` would
// read stdin line by line, as typed, and run a multi-line block only after a blank line.)
// The result comes back as JSON between two markers, so a profile line, a WARNING:/警告: line or a
// progress record on stdout cannot break parsing. PowerShell 5.1 writes `<` as \u003c in JSON, so
// the markers never occur inside the value.
import {decodeText} from './decode-text.js'
import {FactError} from './fact-error.js'
import {toolPath} from './tools.js'
import type {Exec} from './types.js'

export const BEGIN_MARKER = '<<nm-guard:json>>'
export const END_MARKER = '<<nm-guard:end>>'

/** Reads all of stdin as UTF-8 and runs it; single-quoted only, so no quoting rule of CreateProcess or cmd applies. */
export const BOOTSTRAP =
  "$nmgIn = [Console]::OpenStandardInput(); $nmgBuf = New-Object System.IO.MemoryStream; $nmgIn.CopyTo($nmgBuf); " +
  '& ([ScriptBlock]::Create([System.Text.Encoding]::UTF8.GetString($nmgBuf.ToArray())))'

export const POWERSHELL_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', BOOTSTRAP] as const

/** The whole text sent on stdin: quiet streams, UTF-8 output, the script's output as one framed JSON array. */
export function wrapScript(script: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    "$WarningPreference = 'SilentlyContinue'",
    "$InformationPreference = 'SilentlyContinue'",
    '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
    '$nmgValue = @(& {',
    script,
    '})',
    '$nmgJson = ConvertTo-Json -InputObject $nmgValue -Depth 8 -Compress',
    // One write, so nothing the host prints can land between the markers and the value.
    `[Console]::Out.Write([Environment]::NewLine + '${BEGIN_MARKER}' + $nmgJson + '${END_MARKER}' + [Environment]::NewLine)`,
  ].join('\n')
}

/** The framed JSON array in PowerShell's stdout; anything around it is ignored. */
export function parseFramedOutput(stdout: string): unknown[] {
  const end = stdout.lastIndexOf(END_MARKER)
  const begin = end < 0 ? -1 : stdout.lastIndexOf(BEGIN_MARKER, end)
  if (begin < 0) {
    const first = stdout.trim().split(/\r?\n/)[0]?.slice(0, 160) ?? ''
    throw new FactError('failed', `PowerShell printed no result${first ? `: ${first}` : ''}`)
  }
  const json = stdout.slice(begin + BEGIN_MARKER.length, end).trim()
  let value: unknown
  try {
    value = JSON.parse(json || '[]')
  } catch (error) {
    throw new FactError('failed', `PowerShell printed a result that is not JSON: ${(error as Error).message}`)
  }
  // ConvertTo-Json -InputObject of an array is an array, but PowerShell 5.1 writes null for an empty one.
  if (value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** What a PowerShell error says about rights, in either language. */
const PERMISSION = /access is denied|拒绝访问|requires elevation|需要提升|administrator|管理员/i

export interface PowerShellOptions {
  timeoutMs?: number
  /** Largest stdout accepted, in bytes (the exec's default otherwise). */
  maxBuffer?: number
  /** Names the run in a recording (`facts --record`): `powershell-<recordAs>.out`. */
  recordAs?: string
}

/** Runs `script` in one powershell.exe and returns what its pipeline wrote, as a JSON array. */
export async function runPowerShell(exec: Exec, script: string, options: PowerShellOptions = {}): Promise<unknown[]> {
  const result = await exec(toolPath('powershell', 'win32'), [...POWERSHELL_ARGS], {
    input: Buffer.from(wrapScript(script), 'utf8'),
    maxBuffer: options.maxBuffer,
    recordAs: options.recordAs ? `powershell-${options.recordAs}` : undefined,
    timeoutMs: options.timeoutMs ?? 60_000,
  })
  const stdout = decodeText(result.raw)
  try {
    return parseFramedOutput(stdout)
  } catch (error) {
    const stderr = result.stderr.trim()
    if (stderr) {
      const kind = PERMISSION.test(stderr) ? 'permission' : 'failed'
      throw new FactError(kind, `PowerShell exited ${result.code}: ${stderr.split(/\r?\n/)[0]?.slice(0, 200) ?? ''}`)
    }
    throw error
  }
}
