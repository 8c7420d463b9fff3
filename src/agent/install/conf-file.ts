// Reading and rewriting agent.conf as root/SYSTEM. The file holds a one-time token, so: never read
// through a link or beyond MAX_CONF_BYTES, owned by root where owners exist, written 0600, and the
// token's bytes overwritten in place before the scrubbed copy replaces the file.
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {basename, dirname} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {writeFileAtomic} from '../../os/atomic-write.js'
import {readUserFile} from '../../os/read-user-file.js'
import {ensureRootDir} from '../../os/safe-dir.js'
import {MAX_CONF_BYTES} from './agent-conf.js'

/** The file's text, or null when there is none. */
export async function readConfText(file: string): Promise<null | string> {
  const read = await readUserFile(dirname(file), [basename(file)], {
    maxBytes: MAX_CONF_BYTES,
    uids: typeof process.getuid === 'function' ? [0, process.getuid()] : undefined,
  })
  if ('missing' in read) return null
  if ('error' in read) throw new UserError('provision.confUnreadable', {file, reason: read.error}, EXIT.error)
  return read.bytes.toString('utf8')
}

export async function writeConf(file: string, text: string): Promise<void> {
  // /etc/nm-guard: created without following a link, and refused if a user could change it.
  ensureRootDir(dirname(file), 0o755)
  await writeFileAtomic(file, text, 0o600)
}

/**
 * Overwrites every occurrence of `secret` in the file with spaces, in place, then syncs: the
 * replacement written next lands in new blocks, and this keeps the old ones from holding the token.
 */
export async function blankInPlace(file: string, secret: string): Promise<void> {
  if (!secret) return
  const handle = await open(file, constants.O_RDWR | (constants.O_NOFOLLOW ?? 0))
  try {
    const {size} = await handle.stat()
    if (size > MAX_CONF_BYTES) return
    const bytes = Buffer.alloc(size)
    await handle.read(bytes, 0, size, 0)
    const needle = Buffer.from(secret, 'utf8')
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) {
      await handle.write(Buffer.alloc(needle.length, 0x20), 0, needle.length, at)
    }
    await handle.sync()
  } finally {
    await handle.close()
  }
}
