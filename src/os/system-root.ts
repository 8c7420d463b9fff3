// Windows' own folder (C:\Windows), for running its tools by absolute path. Never taken from
// %SystemRoot%: a user sets their own environment, and an elevated nm-guard must not run their
// netsh.exe. The kernel's \SystemRoot link is the first source; a boot volume's Windows folder
// that holds the kernel's user-mode half (ntdll.dll) is the fallback (Wine has no GLOBALROOT).
import {realpathSync, statSync} from 'node:fs'
import {win32} from 'node:path'

/** What the tests and non-Windows hosts plan with. */
export const DEFAULT_SYSTEM_ROOT = 'C:\\Windows'

let cached: string | undefined

/** `\\?\C:\Windows` → `C:\Windows`; anything that is not a local drive path → null. */
export function normaliseSystemRoot(value: string): null | string {
  const stripped = value.replace(/^\\\\\?\\/, '')
  return /^[A-Za-z]:\\[^\\/:*?"<>|]+$/.test(stripped) ? stripped : null
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export function windowsSystemRoot(): string {
  if (cached) return cached
  if (process.platform !== 'win32') return (cached = DEFAULT_SYSTEM_ROOT)
  let fromKernel: null | string = null
  try {
    fromKernel = normaliseSystemRoot(realpathSync.native('\\\\?\\GLOBALROOT\\SystemRoot'))
  } catch {
    fromKernel = null
  }
  const candidates = [fromKernel, DEFAULT_SYSTEM_ROOT].filter((c): c is string => c !== null)
  cached = candidates.find((dir) => isFile(win32.join(dir, 'System32', 'ntdll.dll'))) ?? DEFAULT_SYSTEM_ROOT
  return cached
}
