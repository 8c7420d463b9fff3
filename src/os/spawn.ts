// The one way nm-guard runs programs: by absolute path (see tools.ts), an argument array, no
// shell, a timeout and an output cap each.
import {spawn} from 'node:child_process'

import {FactError, missingTool} from './fact-error.js'
import {toolName, toolPath} from './tools.js'
import type {Exec, ExecOptions, ExecResult} from './types.js'

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024

export const exec: Exec = (name: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> =>
  new Promise((resolve, reject) => {
    const file = toolPath(name)
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER
    const child = spawn(file, args, {
      env: options.env ? {...process.env, ...options.env} : process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let size = 0
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      finish(() => reject(new FactError('timeout', `${file} timed out after ${timeoutMs} ms`)))
    }, timeoutMs)
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBuffer) {
        child.kill('SIGKILL')
        finish(() => reject(new FactError('failed', `${file} printed more than ${maxBuffer} bytes`)))
        return
      }
      out.push(chunk)
    })
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => {
        if (error.code === 'ENOENT') reject(missingTool(toolName(file)))
        else if (error.code === 'EACCES') reject(new FactError('permission', `${file}: permission denied`))
        else reject(new FactError('failed', `${file}: ${error.message}`))
      })
    })
    child.on('close', (code) => {
      finish(() => {
        const raw = Buffer.concat(out)
        resolve({code, raw, stderr: Buffer.concat(err).toString('utf8'), stdout: raw.toString('utf8')})
      })
    })
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {})
      child.stdin.end(options.input)
    }
  })

/** Runs and insists on exit 0, turning a failure into a FactError that quotes stderr's first line. */
export async function execOk(run: Exec, file: string, args: string[], options?: ExecOptions): Promise<ExecResult> {
  const result = await run(file, args, options)
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n')[0] ?? ''
    const kind = /permission denied|operation not permitted|access is denied|拒绝访问/i.test(detail) ? 'permission' : 'failed'
    throw new FactError(kind, `${[file, ...args].join(' ')} exited ${result.code}${detail ? `: ${detail.slice(0, 200)}` : ''}`)
  }
  return result
}
