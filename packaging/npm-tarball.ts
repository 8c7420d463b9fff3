// A package's tarball from the npm registry (or npm's own cache, offline), checked against its
// pinned sha512 before anything reads it, and kept under a cache folder by name@version.
import {execFileSync, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import type {Pin} from './pins.js'

export function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`
}

function npmCommand(): string[] {
  return process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
}

/** The verified tarball's path; throws when npm cannot get it or its digest differs from the pin. */
export function fetchTarball(pin: Pin, cacheDir: string): string {
  const file = join(cacheDir, `${pin.name.replace('/', '+')}-${pin.version}.tgz`)
  if (existsSync(file) && integrityOf(file) === pin.integrity) return file
  mkdirSync(cacheDir, {recursive: true})
  const work = mkdtempSync(join(cacheDir, '.pack-'))
  try {
    const [cmd, ...pre] = npmCommand()
    const packed = spawnSync(cmd as string, [...pre, 'pack', `${pin.name}@${pin.version}`, '--prefer-offline', '--silent', '--json', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      timeout: 300_000,
    })
    if (packed.status !== 0) throw new Error(`npm pack ${pin.name}@${pin.version} failed: ${(packed.stderr || packed.error?.message || '').trim()}`)
    const [{filename}] = JSON.parse(packed.stdout) as [{filename: string}]
    const got = join(work, filename)
    const digest = integrityOf(got)
    if (digest !== pin.integrity) throw new Error(`${pin.name}@${pin.version}: integrity ${digest}, pinned ${pin.integrity}`)
    // A rename, so a concurrent or interrupted build never sees half a tarball.
    renameSync(got, file)
    return file
  } finally {
    rmSync(work, {force: true, recursive: true})
  }
}

/** Unpacks `members` (or everything) of a tarball into dest; npm tarballs hold one `package/` folder. */
export function extractTarball(tarball: string, dest: string, members: string[] = []): void {
  mkdirSync(dest, {recursive: true})
  execFileSync('/usr/bin/tar', ['-xzf', tarball, '-C', dest, '--no-same-owner', ...members])
}
