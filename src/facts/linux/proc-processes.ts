// The process list, read straight from /proc (no `ps`, no command lines: they can hold secrets).
// processes, antivirus, vpn and firewall all ask "is X running?", so one read serves them all.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {basename, join} from 'node:path'

import {FactError} from '../../os/fact-error.js'
import type {CollectContext} from '../types.js'
import {perContext} from '../per-context.js'

export interface ProcessEntry {
  pid: number
  /** The program's name: the executable's file name when comm was cut to 15 characters. */
  name: string
  /** The kernel's 15-character comm. */
  comm: string
  /** /proc/<pid>/exe, null when not permitted (another user's process without root). */
  path: null | string
  ppid: null | number
  uid: null | number
  user: null | string
}

export interface ProcStatus {
  name: string
  ppid: null | number
  uid: null | number
  kernelThread: boolean
}

/** Parses /proc/<pid>/status. Kernel threads say "Kthread: 1" (6.x) or descend from kthreadd (pid 2). */
export function parseProcStatus(text: string, pid: number): ProcStatus {
  const fields = new Map<string, string>()
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^\t/, ''))
  }
  const int = (value: string | undefined): null | number => {
    const n = Number.parseInt(value ?? '', 10)
    return Number.isNaN(n) ? null : n
  }
  const ppid = int(fields.get('PPid'))
  const kthread = fields.get('Kthread')
  return {
    kernelThread: kthread === undefined ? pid === 2 || ppid === 2 : kthread.trim() === '1',
    // The kernel escapes backslashes and control characters in Name.
    name: (fields.get('Name') ?? '').replace(/\\(\\|n|t)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')),
    ppid,
    uid: int(fields.get('Uid')?.split(/\s+/)[0]),
  }
}

/** uid → user name from /etc/passwd. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>()
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':')
    const n = Number.parseInt(uid ?? '', 10)
    if (name && !Number.isNaN(n) && !users.has(n)) users.set(n, name)
  }
  return users
}

/**
 * comm is cut to 15 bytes ("SecoClientPromoteService" → "SecoClientPromo"); the executable's name is
 * the whole one. Scripts keep comm (the script's name) rather than their interpreter's.
 */
export function processName(comm: string, exe: null | string): string {
  if (!exe) return comm
  const file = basename(exe.replace(/ \(deleted\)$/, ''))
  return Buffer.byteLength(comm) >= 15 && file.startsWith(comm) ? file : comm
}

/**
 * Reads every process under `root`/proc (kernel threads left out). Synchronous reads on purpose:
 * procfs answers from memory, and a few hundred tiny async reads cost more in the thread pool.
 */
export function readProcesses(root = '/'): ProcessEntry[] {
  const proc = join(root, 'proc')
  let users = new Map<number, string>()
  try {
    users = parsePasswd(readFileSync(join(root, 'etc', 'passwd'), 'utf8'))
  } catch {
    // no passwd: users stay numeric
  }
  let entries: string[]
  try {
    entries = readdirSync(proc)
  } catch (error) {
    throw new FactError('failed', `cannot list processes: ${proc} is not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const out: ProcessEntry[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    let status: ProcStatus
    try {
      status = parseProcStatus(readFileSync(join(proc, entry, 'status'), 'utf8'), pid)
    } catch {
      continue // exited while we looked
    }
    if (status.kernelThread) continue
    let path: null | string = null
    try {
      path = readlinkSync(join(proc, entry, 'exe'))
    } catch {
      // EACCES for other users' processes when not root
    }
    out.push({
      comm: status.name,
      name: processName(status.name, path),
      path,
      pid,
      ppid: status.ppid,
      uid: status.uid,
      user: status.uid === null ? null : (users.get(status.uid) ?? String(status.uid)),
    })
  }
  return out.sort((a, b) => a.pid - b.pid)
}

/** The process list, read once per gathering. */
export function listProcesses(ctx: CollectContext, root = '/'): Promise<ProcessEntry[]> {
  return perContext(ctx, `processes:${root}`, async () => readProcesses(root))
}
