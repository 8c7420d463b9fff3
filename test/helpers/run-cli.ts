// Runs the real CLI (bin/dev.js: the TypeScript sources, no build) as a child process.
import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DEV_BIN = join(ROOT, 'bin', 'dev.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: {env?: Record<string, string | undefined>; input?: Buffer | string; command?: string[]} = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = options.command ?? [process.execPath, DEV_BIN]
    const child = spawn(command[0] as string, [...command.slice(1), ...args], {
      cwd: ROOT,
      env: {...process.env, FORCE_COLOR: '0', LANG: 'en_US.UTF-8', LC_ALL: '', ...options.env},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
    child.stdin.end(options.input ?? '')
  })
}

/** Writes `content` (an object is JSON-encoded) to a fresh temp file and returns its path. */
export function tempFile(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'nmg-test-'))
  const file = join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}
