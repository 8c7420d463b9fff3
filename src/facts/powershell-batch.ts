// On Windows every PowerShell start costs 0.3–1 s, so all tables of one gathering share one
// process: fragments requested in the same tick are joined into one script that prints one JSON
// object keyed by fragment name. A fragment that throws is reported to its own table only.
import {decodeText} from '../os/decode-text.js'
import {FactError} from '../os/fact-error.js'
import type {Exec} from './types.js'

interface Pending {
  name: string
  script: string
  resolve: (rows: unknown[]) => void
  reject: (error: Error) => void
}

const ERROR_KEY = '__nmg_error'

/** The whole script for a batch: UTF-8 output (Chinese names), each fragment isolated in try/catch. */
export function buildBatchScript(fragments: Array<{name: string; script: string}>): string {
  const lines = [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
    '$nmgOut = [ordered]@{}',
  ]
  for (const {name, script} of fragments) {
    const key = name.replaceAll("'", "''")
    lines.push(
      `try { $nmgOut['${key}'] = @(& {`,
      script,
      `}) } catch { $nmgOut['${key}'] = @{ ${ERROR_KEY} = $_.Exception.Message } }`,
    )
  }
  lines.push('$nmgOut | ConvertTo-Json -Depth 6 -Compress')
  return lines.join('\n')
}

/** Splits the batch's JSON output back into one array (or one error) per fragment. */
export function parseBatchOutput(stdout: string, names: string[]): Map<string, Error | unknown[]> {
  const out = new Map<string, Error | unknown[]>()
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(stdout.trim() || '{}') as Record<string, unknown>
  } catch {
    const error = new FactError('failed', `PowerShell printed no JSON: ${stdout.trim().slice(0, 120)}`)
    for (const name of names) out.set(name, error)
    return out
  }
  for (const name of names) {
    const value = parsed[name]
    if (value && typeof value === 'object' && !Array.isArray(value) && ERROR_KEY in value) {
      const message = String((value as Record<string, unknown>)[ERROR_KEY])
      const kind = /access is denied|拒绝访问|requires elevation|administrator/i.test(message) ? 'permission' : 'failed'
      out.set(name, new FactError(kind, `PowerShell (${name}): ${message}`))
    } else if (value === undefined || value === null) {
      out.set(name, [])
    } else {
      out.set(name, Array.isArray(value) ? value : [value])
    }
  }
  return out
}

/** `-EncodedCommand` takes UTF-16LE base64: no quoting, no temp file, Chinese survives. */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')]
}

export function createPowerShellBatch(exec: Exec, timeoutMs = 90_000): (name: string, script: string) => Promise<unknown[]> {
  let queue: Pending[] = []
  const flush = async (): Promise<void> => {
    const batch = queue
    queue = []
    try {
      const result = await exec('powershell.exe', powershellArgs(buildBatchScript(batch)), {timeoutMs})
      const parts = parseBatchOutput(decodeText(result.raw), batch.map((p) => p.name))
      for (const p of batch) {
        const part = parts.get(p.name)
        if (part instanceof Error) p.reject(part)
        else p.resolve(part ?? [])
      }
    } catch (error) {
      for (const p of batch) p.reject(error as Error)
    }
  }
  return (name, script) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (queue.length === 0) setImmediate(() => void flush())
      queue.push({name, reject, resolve, script})
    })
}
