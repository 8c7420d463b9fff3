// This machine with no network and no system node: a network namespace holding only a loopback,
// and a mount namespace where /usr/bin/node is a stub that says it ran and exits 97. The file
// system is the host's (a package installed in here is installed on the machine), so tests that
// install must remove what they install. Commands enter with nsenter, one at a time.
import {type ChildProcess, execFileSync, spawn, spawnSync} from 'node:child_process'
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const SYSTEM_NODE_STUB_EXIT = 97

export interface IsolatedHost {
  /** Runs argv inside both namespaces (no network, no system node). */
  run(argv: string[], options?: {env?: Record<string, string>; input?: string; timeoutMs?: number}): {code: number | null; stdout: string; stderr: string}
  /** argv prefix entering only the network namespace (the system node still visible there). */
  netOnly(argv: string[]): string[]
  close(): void
}

const NSENTER = '/usr/bin/nsenter'

export async function isolatedHost(): Promise<IsolatedHost> {
  const stub = join(mkdtempSync(join(tmpdir(), 'nmg-nonode-')), 'node')
  writeFileSync(stub, `#!/bin/sh\necho "the system node was run: $0 $*" >&2\nexit ${SYSTEM_NODE_STUB_EXIT}\n`)
  chmodSync(stub, 0o755)
  const holder: ChildProcess = spawn('/usr/bin/unshare', ['--net', '--mount', '--propagation', 'private', '/bin/sh', '-c', `ip link set lo up && mount --bind ${stub} /usr/bin/node && echo ready && exec sleep 3600`], {stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  holder.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.once('data', () => resolve())
    holder.once('exit', (code) => reject(new Error(`unshare exited ${code}: ${stderr}`)))
  })
  const pid = String(holder.pid)
  const env = {DEBIAN_FRONTEND: 'noninteractive', HOME: '/root', LANG: 'C.UTF-8', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'}
  return {
    close() {
      holder.kill('SIGKILL')
    },
    netOnly: (argv) => [NSENTER, '-t', pid, '-n', '--', ...argv],
    run(argv, options = {}) {
      const result = spawnSync(NSENTER, ['-t', pid, '-n', '-m', '--', ...argv], {encoding: 'utf8', env: {...env, ...options.env}, input: options.input ?? '', timeout: options.timeoutMs ?? 120_000})
      return {code: result.status, stderr: result.stderr, stdout: result.stdout}
    },
  }
}

/** True when this process may make namespaces and install packages (root, with unshare and nsenter). */
export function canIsolate(): boolean {
  try {
    execFileSync('/usr/bin/unshare', ['--net', '--mount', '/bin/true'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}
