// Root on Unix; on Windows a member of the elevated Administrators token (`net session` needs it).
import type {Exec, Platform} from './types.js'

export async function isAdmin(platform: Platform, exec: Exec): Promise<boolean> {
  if (platform !== 'win32') return typeof process.getuid === 'function' && process.getuid() === 0
  try {
    return (await exec('net', ['session'], {timeoutMs: 5000})).code === 0
  } catch {
    return false
  }
}
