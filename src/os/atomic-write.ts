// Durable file replacement: a crash leaves either the old file or the new one, never half of one.
import {randomBytes} from 'node:crypto'
import {closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export async function writeFileAtomic(file: string, data: string, mode = 0o644): Promise<void> {
  const dir = dirname(file)
  // The temp name starts with a dot and ends in .tmp so the queue listing never picks it up.
  const temp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(data, 'utf8')
    // The mode argument of open is filtered by the umask; a key file must end up 0600 regardless.
    await handle.chmod(mode)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, {force: true})
    throw error
  }
  await handle.close()
  await rename(temp, file)
  await syncDir(dir)
}

/** fsync of the directory makes the rename itself durable; Windows cannot open a directory for it. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * The same, synchronously: for a record written while the process is going down (an uncaught
 * exception), where no promise will be awaited. The temp file is created new (never through a
 * planted link) and the rename replaces a link at `file` instead of writing through it.
 */
export function writeFileAtomicSync(file: string, data: string, mode = 0o644): void {
  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temp, 'wx', mode)
  try {
    writeFileSync(fd, data, 'utf8')
    fchmodSync(fd, mode)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, {force: true})
    throw error
  }
  closeSync(fd)
  renameSync(temp, file)
}
