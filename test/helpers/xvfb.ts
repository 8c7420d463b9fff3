// A throwaway X server (Xvfb) with a clipboard that xclip can read and write.
import {execFileSync, spawn} from 'node:child_process'

import {hasCommand} from './require-part.js'

export const XVFB_PACKAGES = 'Xvfb and xclip (packages xvfb, xclip)'
export const xvfbPresent = (): boolean => hasCommand('Xvfb') && hasCommand('xclip')

export interface XSession {
  env: Record<string, string>
  paste: () => string
  copy: (text: string) => void
  stop: () => void
}

export async function startXvfb(): Promise<XSession> {
  // A display number of our own: a free one from 90 up, where no lock file says it is taken.
  let n = 90 + (process.pid % 50)
  while (hasLock(n)) n++
  const display = `:${n}`
  const server = spawn('Xvfb', [display, '-nolisten', 'tcp'], {stdio: 'ignore'})
  const env = {DISPLAY: display, WAYLAND_DISPLAY: ''}
  const all = {...process.env, ...env}
  const copy = (text: string) => void execFileSync('xclip', ['-selection', 'clipboard', '-in'], {env: all, input: text, stdio: ['pipe', 'ignore', 'ignore'], timeout: 2000})
  for (let i = 0; ; i++) {
    try {
      copy('')
      break
    } catch (error) {
      if (i >= 50) {
        server.kill()
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    copy,
    env,
    paste: () => execFileSync('xclip', ['-selection', 'clipboard', '-out'], {env: all, timeout: 2000}).toString(),
    stop: () => void server.kill(),
  }
}

function hasLock(n: number): boolean {
  try {
    execFileSync('test', ['-e', `/tmp/.X${n}-lock`])
    return true
  } catch {
    return false
  }
}
