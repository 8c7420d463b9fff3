// NetworkManager's command line in terse mode (-t): fields joined by ":", with ":" and "\" inside
// values escaped as "\:" and "\\" (so a BSSID prints as 00\:11\:22\:33\:44\:55).
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, ExecResult} from '../types.js'
import {listProcesses, type ProcessEntry} from './proc-processes.js'

/** Splits one terse line into its fields, undoing nmcli's escapes. */
export function splitTerse(line: string): string[] {
  const fields: string[] = []
  let current = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '\\' && i + 1 < line.length) {
      current += line[++i]
    } else if (c === ':') {
      fields.push(current)
      current = ''
    } else {
      current += c
    }
  }
  fields.push(current)
  return fields
}

/** Terse lines as field arrays (empty lines dropped). */
export function parseTerse(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.length > 0)
    .map(splitTerse)
}

/** NetworkManager's daemon is running (nmcli can only answer then). */
export const networkManagerRunning = (processes: ProcessEntry[]): boolean => processes.some((p) => p.name === 'NetworkManager' || p.comm === 'NetworkManager')

/**
 * Runs nmcli in a fixed UTF-8 C locale: yes/no stay untranslated and SSIDs keep their UTF-8 bytes.
 * Returns null when nmcli is not installed or NetworkManager is not running (nmcli could only say so,
 * and starting it costs tens of milliseconds).
 */
export async function runNmcli(ctx: CollectContext, args: string[], root = '/'): Promise<ExecResult | null> {
  if (!networkManagerRunning(await listProcesses(ctx, root))) return null
  try {
    return await ctx.exec('nmcli', ['-t', ...args], {env: {LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8'}, timeoutMs: 5000})
  } catch (error) {
    if (error instanceof FactError && error.kind === 'missing_tool') return null
    throw error
  }
}
