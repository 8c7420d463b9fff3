// Writes the district's policy whole or not at all: a new temp file beside it (created no-follow,
// synced), then renamed over it with --force, or hard-linked into place without: link() fails on
// any existing entry, a link included, so a file that appeared meanwhile is never replaced.
import {randomBytes} from 'node:crypto'
import {link, lstat, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {syncDir} from '../../os/atomic-write.js'
import {CREATE_NEW_FLAGS} from '../../os/safe-dir.js'

/** The policy is no secret, and every account that audits must read it. */
const MODE = 0o644

export const existsError = (file: string): UserError => new UserError('policyInit.exists', {file}, EXIT.error)

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code

export async function writePolicyFile(file: string, text: string, options: {force: boolean}): Promise<void> {
  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, CREATE_NEW_FLAGS, MODE)
    try {
      if (process.platform !== 'win32') await handle.chmod(MODE)
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (options.force) await rename(temp, file)
    else await linkNew(temp, file)
    await syncDir(dir)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError('file.unwritable', {file, reason: code(error) ?? (error as Error).message})
  } finally {
    await rm(temp, {force: true})
  }
}

async function linkNew(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file)
  } catch (error) {
    if (code(error) === 'EEXIST') throw existsError(file)
    // A file system without hard links (FAT, some network shares): check, then rename.
    if (!['ENOTSUP', 'EPERM', 'EXDEV', 'ENOSYS'].includes(code(error) ?? '')) throw error
    if (await lstat(file).catch(() => undefined)) throw existsError(file)
    await rename(temp, file)
  }
}
