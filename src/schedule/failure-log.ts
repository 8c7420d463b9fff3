// <stateDir>/schedule/last-failures.log: one line per scheduled run that failed (its output goes
// nowhere, so this is how anyone learns why). Written as root/SYSTEM in a folder other accounts may
// reach: the folder must be a real folder (no link followed), the file is read without following a
// link and replaced whole (temp file + rename), never appended through whatever is at its name.
import {closeSync, constants, fstatSync, lstatSync, openSync, readSync} from 'node:fs'
import {join} from 'node:path'

import {writeFileAtomicSync} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'

export const FAILURE_LOG = 'last-failures.log'
/** Lines kept: a month of daily failures and then some, a few tens of KiB at most. */
export const MAX_LINES = 100
/** Characters of the error's message kept in a line. */
export const MAX_MESSAGE = 300
/** Bytes read of an existing log: anything beyond was not written by us. */
const MAX_READ = 256 * 1024

export const failureLogPath = (stateDir: string): string => join(stateDir, 'schedule', FAILURE_LOG)

// O_NOFOLLOW does not exist on Windows (undefined there): the lstat before opening stands in for it.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** Removes what could be a secret from a message: credentials in URLs, token=/password=/secret= values. */
export function redact(text: string): string {
  return text
    .replaceAll(/(\w+:\/\/)[^\s/@]*@/g, '$1***@')
    .replaceAll(/(token|password|passwd|pwd|secret|口令|密码)(\s*[=:：]\s*)("[^"]*"|'[^']*'|[^\s&]+)/gi, '$1$2***')
}

/** One line: ISO time, exit code, the message's first line (control characters out, bounded, redacted). */
export function failureLine(at: Date, exitCode: number, message: string): string {
  const first = message.split(/\r?\n/).find((l) => l.trim() !== '') ?? ''
  // Control characters (and the tab separator) would break the one-line, tab-separated layout.
  // eslint-disable-next-line no-control-regex
  let clean = redact(first.replaceAll(/[\u0000-\u001f\u007f]/g, ' ').replaceAll(/\s+/g, ' ').trim())
  if (clean.length > MAX_MESSAGE) clean = `${clean.slice(0, MAX_MESSAGE - 1)}…`
  return `${at.toISOString()}\texit ${exitCode}\t${clean || '(no message)'}`
}

/** The log's lines, oldest first; [] when there is none or it is not a regular file of ours. */
export function readFailureLines(stateDir: string): string[] {
  const path = failureLogPath(stateDir)
  let fd: number
  try {
    if (!lstatSync(path).isFile()) return []
    fd = openSync(path, READ_FLAGS)
  } catch {
    return []
  }
  try {
    if (!fstatSync(fd).isFile()) return []
    const buffer = Buffer.alloc(MAX_READ)
    let length = 0
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
    }
    return buffer.subarray(0, length).toString('utf8').split('\n').filter((l) => l.trim() !== '')
  } finally {
    closeSync(fd)
  }
}

export const newestFailure = (stateDir: string): string | null => readFailureLines(stateDir).at(-1) ?? null

/**
 * Makes <stateDir>/schedule without following links; as root, a folder a user owns or may write
 * (who could swap the log for a link to a root-only file) is refused (#11 2.1).
 */
function scheduleDir(stateDir: string): string {
  const dir = join(stateDir, 'schedule')
  ensureRootDir(dir, 0o755)
  return dir
}

/** Adds `line`, keeping the newest MAX_LINES. Synchronous: it may run while the process is going down. */
export function appendFailure(stateDir: string, line: string): void {
  scheduleDir(stateDir)
  const lines = [...readFailureLines(stateDir), line].slice(-MAX_LINES)
  writeFileAtomicSync(failureLogPath(stateDir), `${lines.join('\n')}\n`, 0o644)
}
