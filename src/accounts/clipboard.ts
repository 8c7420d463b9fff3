// `account get --copy`: the password goes to the clipboard through the platform's own tool and is
// cleared 30 s later by a detached child, so the clearing survives this command's exit. The child
// gets the password on its standard input (never argv or the environment, which other users can
// read) and clears the clipboard only if it still holds that password.
import {spawn} from 'node:child_process'

import {UserError} from '../cli/user-error.js'
import {currentPlatform} from '../os/platform.js'
import {hasTool, toolPath} from '../os/tools.js'
import type {Platform} from '../os/types.js'

export const CLEAR_AFTER_SECONDS = 30

type Command = [string, ...string[]]

export interface ClipboardTool {
  name: string
  copy: Command
  paste: Command
  clear: Command
  /** Whether `clear` reads (empty) standard input. */
  clearReadsStdin: boolean
}

/** The clipboard tools to try, in order, for this platform and session; every program by its system path. */
export function clipboardCandidates(platform: Platform, env: Record<string, string | undefined>): ClipboardTool[] {
  const tool = (name: string): string => toolPath(name, platform)
  if (platform === 'win32') {
    const PS = [tool('powershell'), '-NoProfile', '-NonInteractive', '-Command'] as const
    const utf8 = '$e = New-Object System.Text.UTF8Encoding $false; [Console]::InputEncoding = $e; [Console]::OutputEncoding = $e;'
    return [
      {
        // Windows PowerShell runs STA, which the Forms clipboard needs.
        clear: [...PS, 'Add-Type -AssemblyName System.Windows.Forms; [System.Windows.Forms.Clipboard]::Clear()'],
        clearReadsStdin: false,
        copy: [...PS, `${utf8} Set-Clipboard -Value ([Console]::In.ReadToEnd())`],
        name: 'Set-Clipboard',
        paste: [...PS, `${utf8} [Console]::Out.Write((Get-Clipboard -Raw))`],
      },
    ]
  }
  if (platform === 'darwin') return [{clear: [tool('pbcopy')], clearReadsStdin: true, copy: [tool('pbcopy')], name: 'pbcopy', paste: [tool('pbpaste')]}]
  const tools: ClipboardTool[] = []
  if (env.WAYLAND_DISPLAY) tools.push({clear: [tool('wl-copy'), '--clear'], clearReadsStdin: false, copy: [tool('wl-copy')], name: 'wl-copy', paste: [tool('wl-paste'), '--no-newline']})
  if (env.DISPLAY) {
    const xclip = tool('xclip')
    const xsel = tool('xsel')
    tools.push(
      {clear: [xclip, '-selection', 'clipboard', '-in'], clearReadsStdin: true, copy: [xclip, '-selection', 'clipboard', '-in'], name: 'xclip', paste: [xclip, '-selection', 'clipboard', '-out']},
      {clear: [xsel, '--clipboard', '--clear'], clearReadsStdin: false, copy: [xsel, '--clipboard', '--input'], name: 'xsel', paste: [xsel, '--clipboard', '--output']},
    )
  }
  return tools
}

/** The first usable tool, or a UserError naming what would work here. */
export function findClipboard(platform: Platform = currentPlatform(), env: Record<string, string | undefined> = process.env, installed: (file: string) => boolean = (file) => hasTool(file, platform)): ClipboardTool {
  const found = clipboardCandidates(platform, env).find((tool) => installed(tool.copy[0]))
  if (found) return found
  const wanted = platform === 'win32' ? 'PowerShell (Set-Clipboard)' : platform === 'darwin' ? 'pbcopy' : 'wl-copy (Wayland), xclip or xsel (X11)'
  throw new UserError('account.noClipboard', {tools: wanted})
}

/** Puts `secret` on the clipboard and starts the detached child that clears it. */
export async function copyAndClear(tool: ClipboardTool, secret: string, seconds: number = CLEAR_AFTER_SECONDS): Promise<void> {
  await run(tool.copy, secret, tool.name)
  const child = spawn(process.execPath, ['-e', CLEARER, JSON.stringify({clear: tool.clear, clearReadsStdin: tool.clearReadsStdin, ms: seconds * 1000, paste: tool.paste})], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true,
  })
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.stdin.end(secret, () => resolve())
  })
  child.unref()
}

/**
 * Runs a copy tool with the secret on stdin. X11 and Wayland tools fork a process that keeps
 * serving the selection: wait for the tool's exit, not for its inherited pipes to close.
 */
function run(command: Command, input: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {stdio: ['pipe', 'ignore', 'ignore'], windowsHide: true})
    const fail = (reason: string) => reject(new UserError('account.clipboardFailed', {reason, tool: name}))
    child.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))
    child.once('exit', (code) => (code === 0 ? resolve() : fail(`exit ${code}`)))
    child.stdin.on('error', () => {})
    child.stdin.end(input)
  })
}

// The detached clearer: plain JavaScript for `node -e`, so it runs the same from src/ and dist/.
const CLEARER = `
const cp = require('node:child_process')
const cfg = JSON.parse(process.argv[1])
let secret = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => { secret += d })
process.stdin.on('end', () => setTimeout(() => {
  const now = cp.spawnSync(cfg.paste[0], cfg.paste.slice(1), {encoding: 'utf8', timeout: 10000, windowsHide: true})
  const held = now.status === 0 && (now.stdout === secret || now.stdout.replace(/\\r?\\n$/, '') === secret)
  if (held) cp.spawnSync(cfg.clear[0], cfg.clear.slice(1), {input: '', stdio: [cfg.clearReadsStdin ? 'pipe' : 'ignore', 'ignore', 'ignore'], timeout: 10000, windowsHide: true})
  secret = ''
}, cfg.ms))
`
