// `nm-guard collector serve` as its own process (bin/dev.js) on a free loopback port, for tests and
// the benchmark that need a real process: one to SIGKILL, or one whose CPU time is measured.
import {type ChildProcess, spawn} from 'node:child_process'
import {request as httpsRequest} from 'node:https'
import {createServer} from 'node:net'

const DEV = new URL('../../bin/dev.js', import.meta.url).pathname

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as {port: number}
      probe.close(() => resolve(port))
    })
  })
}

/** A loopback port nothing listens on (listened on, then closed again): an unreachable collector. */
export const closedPort = freePort

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsRequest({agent: false, host: '127.0.0.1', path: '/healthz', port, rejectUnauthorized: false, timeout: 2000}, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

/** Starts the collector and waits (bounded: 60 s for tsx to compile and the server to listen) until /healthz answers. */
export async function serveCollector(dir: string, db: string, port: number, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, DEV, 'collector', 'serve', '--dir', dir, '--db', db, '--port', String(port), '--host', '127.0.0.1'], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`collector exited early: ${stderr}`)
    if (await healthy(port)) return child
    await new Promise((r) => setTimeout(r, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`collector did not come up: ${stderr}`)
}

/** SIGKILL (no shutdown code runs) and wait for the exit; SIGTERM with `graceful`. */
export function stopCollector(child: ChildProcess, graceful = false): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill(graceful ? 'SIGTERM' : 'SIGKILL')
  })
}
