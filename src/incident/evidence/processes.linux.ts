// Linux processes from /proc with the SHA-256 of each executable. Each distinct executable is hashed
// once (many processes share one binary), and hashing stops at a byte and a time budget so a PC
// running huge binaries cannot stall the evidence run: what was skipped says so.
import {readdir, readFile, readlink, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {hashFile} from './hash-file.js'

export interface ProcessRecord {
  pid: number
  ppid: null | number
  uid: null | number
  comm: null | string
  /** Arguments joined by spaces (the NULs of /proc/<pid>/cmdline). */
  cmdline: null | string
  /** Where /proc/<pid>/exe points (kernel threads have none). */
  exe: null | string
  sha256: null | string
  /** Why there is no hash: unreadable, a budget reached, or a kernel thread. */
  note?: string
}

export interface ProcessScan {
  processes: ProcessRecord[]
  hashed_files: number
  hashed_bytes: number
  /** Whether a budget stopped hashing before every executable was done. */
  truncated: boolean
}

export interface ProcessScanOptions {
  procRoot?: string
  /** Total bytes hashed at most (default 1 GiB). */
  maxBytes?: number
  /** Date.now() after which no new executable is hashed. */
  deadline?: number
}

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024

async function text(path: string): Promise<null | string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

const statusField = (status: null | string, field: string): null | number => {
  const match = status?.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))
  return match ? Number(match[1]) : null
}

export async function scanLinuxProcesses(options: ProcessScanOptions = {}): Promise<ProcessScan> {
  const root = options.procRoot ?? '/proc'
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const pids = (await readdir(root)).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b)
  const hashes = new Map<string, {note?: string; sha256: null | string}>()
  let hashedBytes = 0
  let hashedFiles = 0
  let truncated = false
  const processes: ProcessRecord[] = []
  for (const pid of pids) {
    const dir = join(root, String(pid))
    const [status, comm, cmdline] = await Promise.all([text(join(dir, 'status')), text(join(dir, 'comm')), text(join(dir, 'cmdline'))])
    if (status === null && comm === null) continue // gone while we looked
    const exe = await readlink(join(dir, 'exe')).catch(() => null)
    const record: ProcessRecord = {
      cmdline: cmdline === null ? null : cmdline.replace(/\0+$/, '').replaceAll('\0', ' '),
      comm: comm?.trim() ?? null,
      exe,
      pid,
      ppid: statusField(status, 'PPid'),
      sha256: null,
      uid: statusField(status, 'Uid'),
    }
    if (exe === null) {
      record.note = cmdline === '' ? 'kernel thread' : 'executable not readable'
      processes.push(record)
      continue
    }
    // A deleted binary has no path to share, so it is hashed through this process's own exe link.
    const key = exe.endsWith(' (deleted)') ? `pid:${pid}` : exe
    let known = hashes.get(key)
    if (!known) {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        known = {note: 'not hashed: time budget reached', sha256: null}
        truncated = true
      } else {
        try {
          // Read through /proc/<pid>/exe: it is the very file the process runs, even if replaced on disk.
          const size = (await stat(join(dir, 'exe'))).size
          if (hashedBytes + size > maxBytes) {
            known = {note: 'not hashed: byte budget reached', sha256: null}
            truncated = true
          } else {
            const {bytes, sha256} = await hashFile(join(dir, 'exe'))
            hashedBytes += bytes
            hashedFiles += 1
            known = {sha256}
          }
        } catch (error) {
          known = {note: `not hashed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, sha256: null}
        }
      }
      // Budget misses are not cached: a later, smaller executable may still fit.
      if (known.sha256 !== null || !known.note?.includes('budget')) hashes.set(key, known)
    }
    record.sha256 = known.sha256
    if (known.note) record.note = known.note
    processes.push(record)
  }
  return {hashed_bytes: hashedBytes, hashed_files: hashedFiles, processes, truncated}
}
