// Expensive, rarely-changing facts (apt's pending list) are cached under the state dir, keyed on
// a fingerprint of exactly the files that would change the answer. A different fingerprint is a miss.
import {createHash} from 'node:crypto'
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'

interface Entry<T> {
  fingerprint: string
  value: T
}

export async function cachedFact<T>(dir: string, key: string, fingerprint: string, compute: () => Promise<T>): Promise<T> {
  const file = join(dir, 'cache', `${key.replaceAll(/[^\w.-]/g, '_')}.json`)
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as Entry<T>
    if (entry.fingerprint === fingerprint) return entry.value
  } catch {
    // no entry, or unreadable: compute afresh
  }
  const value = await compute()
  try {
    // Made without following a link and, for root, root's alone; the entry is a new file renamed
    // over the old one, never written through a link planted under its name (#11 2.1).
    ensureRootDir(join(dir, 'cache'), 0o700)
    await writeFileAtomic(file, JSON.stringify({fingerprint, value} satisfies Entry<T>), 0o600)
  } catch {
    // A read-only (or refused) state dir only costs speed.
  }
  return value
}

/**
 * A digest of the size, mtime and inode of each path, and of each entry of each directory
 * (one level). A missing path contributes "missing", so its later appearance is a change too.
 */
export async function fileFingerprint(paths: string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const path of paths) {
    hash.update(`${path}\0${await describe(path)}\n`)
    let entries: string[] = []
    try {
      if ((await stat(path)).isDirectory()) entries = (await readdir(path)).sort()
    } catch {
      // missing: described above
    }
    for (const entry of entries) hash.update(`${entry}\0${await describe(join(path, entry))}\n`)
  }
  return hash.digest('hex')
}

async function describe(path: string): Promise<string> {
  try {
    const s = await stat(path)
    return `${s.size}:${s.mtimeMs}:${s.ino}`
  } catch {
    return 'missing'
  }
}
