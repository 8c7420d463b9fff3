// Where the programs nm-guard runs live. Every program runs by absolute path, resolved from the
// OS, never through PATH or the current directory: on Windows libuv looks in the current folder
// first, so a netsh.exe planted there would run as administrator; on Linux a root cron job's PATH
// is not ours to trust either.
import {accessSync, constants, statSync} from 'node:fs'
import {posix, win32} from 'node:path'

import {currentPlatform} from './platform.js'
import {windowsSystemRoot} from './system-root.js'
import {TOOLS as DARWIN_TOOLS} from './tools.darwin.js'
import type {Exec, Platform} from './types.js'

/** The system directories a Linux tool may come from, in order: never /usr/local, never $HOME. */
export const LINUX_TOOL_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const

/** Windows tools that are not directly in System32. */
const WINDOWS_SUBPATHS: Record<string, string> = {
  powershell: 'System32\\WindowsPowerShell\\v1.0\\powershell.exe',
}

const DARWIN_BY_NAME = new Map<string, string>(Object.values(DARWIN_TOOLS).map((path) => [posix.basename(path), path]))

const linuxCache = new Map<string, string>()

const isExecutable = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Whether a program name is already a path the OS layer accepts as is. */
export const isAbsoluteTool = (file: string): boolean => posix.isAbsolute(file) || win32.isAbsolute(file)

/** The bare name of a tool: `C:\Windows\System32\netsh.exe` → `netsh`, `/usr/sbin/nft` → `nft`. */
export function toolName(file: string): string {
  const base = file.includes('\\') ? win32.basename(file) : posix.basename(file)
  return base.replace(/\.exe$/i, '')
}

/** The absolute path of `name` (e.g. "nft", "netsh", "schtasks.exe") on `platform`. */
export function toolPath(name: string, platform: Platform = currentPlatform()): string {
  if (isAbsoluteTool(name)) return name
  const bare = toolName(name)
  if (platform === 'win32') return win32.join(windowsSystemRoot(), WINDOWS_SUBPATHS[bare.toLowerCase()] ?? `System32\\${bare}.exe`)
  if (platform === 'darwin') return DARWIN_BY_NAME.get(bare) ?? `/usr/bin/${bare}`
  let path = linuxCache.get(bare)
  if (!path) {
    // A tool in none of them resolves to /usr/bin, so running it fails as "not found".
    path = LINUX_TOOL_DIRS.map((dir) => `${dir}/${bare}`).find(isExecutable) ?? `/usr/bin/${bare}`
    linuxCache.set(bare, path)
  }
  return path
}

/** Whether a system tool is installed (Linux/macOS; on Windows the System32 tools always are). */
export const hasTool = (name: string, platform: Platform = currentPlatform()): boolean =>
  platform === 'win32' || isExecutable(toolPath(name, platform))

/**
 * Wraps an exec seam so that every program it is asked to run is resolved to its absolute path
 * first: callers may name a tool, but what is spawned (or recorded) is always the system's copy.
 */
export function withToolPaths(exec: Exec, platform: Platform = currentPlatform()): Exec {
  if ((exec as {toolPaths?: Platform}).toolPaths === platform) return exec
  const wrapped: Exec = (file, args, options) => exec(toolPath(file, platform), args, options)
  return Object.assign(wrapped, {toolPaths: platform})
}
