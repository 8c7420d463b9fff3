// Root on Unix. On Windows, whether this process's token is elevated: its integrity label is High
// (S-1-16-12288) or System (S-1-16-16384). whoami.exe reads the token it inherited from us, and
// prints SIDs the same in every language. `net session` is not used: it fails whenever the Server
// service is disabled, a common hardening on government PCs.
import {decodeText} from './decode-text.js'
import type {Exec, Platform} from './types.js'

const ELEVATED_LABELS = ['S-1-16-12288', 'S-1-16-16384']

/** `whoami /groups /fo csv /nh` → whether the token carries a High or System integrity label. */
export function tokenIsElevated(whoamiCsv: string): boolean {
  return whoamiCsv.split(/\r?\n/).some((line) => ELEVATED_LABELS.some((sid) => line.includes(`"${sid}"`)))
}

export async function isAdmin(platform: Platform, exec: Exec): Promise<boolean> {
  if (platform !== 'win32') return typeof process.getuid === 'function' && process.getuid() === 0
  try {
    const result = await exec('whoami', ['/groups', '/fo', 'csv', '/nh'], {timeoutMs: 10_000})
    return result.code === 0 && tokenIsElevated(decodeText(result.raw))
  } catch {
    return false
  }
}
