// On Windows every PowerShell start costs 0.3–1 s, so all tables of one gathering share one
// process: fragments requested in the same tick are joined into one script whose result is one
// object keyed by fragment name. A fragment that throws is reported to its own table only.
import {FactError} from '../os/fact-error.js'
import {runPowerShell} from '../os/powershell.js'
import type {Exec} from './types.js'

interface Pending {
  name: string
  script: string
  resolve: (rows: unknown[]) => void
  reject: (error: Error) => void
}

const ERROR_KEY = '__nmg_error'

/** The whole script for a batch: each fragment isolated in try/catch, the result one ordered object. */
export function buildBatchScript(fragments: Array<{name: string; script: string}>): string {
  const lines = ['$nmgOut = [ordered]@{}']
  for (const {name, script} of fragments) {
    const key = name.replaceAll("'", "''")
    lines.push(
      `try { $nmgOut['${key}'] = @(& {`,
      script,
      `}) } catch { $nmgOut['${key}'] = @{ ${ERROR_KEY} = $_.Exception.Message } }`,
    )
  }
  // As one object: PowerShell would unroll a hashtable's pipeline output otherwise.
  lines.push('[pscustomobject]$nmgOut')
  return lines.join('\n')
}

/** Splits the batch's result (one object keyed by fragment name) back into one array (or one error) per fragment. */
export function parseBatchOutput(result: unknown[], names: string[]): Map<string, Error | unknown[]> {
  const out = new Map<string, Error | unknown[]>()
  const parsed = result[0]
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const error = new FactError('failed', 'PowerShell returned no result object')
    for (const name of names) out.set(name, error)
    return out
  }
  for (const name of names) {
    const value = (parsed as Record<string, unknown>)[name]
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

export function createPowerShellBatch(exec: Exec, timeoutMs = 90_000): (name: string, script: string) => Promise<unknown[]> {
  let queue: Pending[] = []
  const flush = async (): Promise<void> => {
    const batch = queue
    queue = []
    try {
      const result = await runPowerShell(exec, buildBatchScript(batch), {recordAs: 'batch', timeoutMs})
      const parts = parseBatchOutput(result, batch.map((p) => p.name))
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
