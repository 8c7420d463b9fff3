// #11 2.1: root never writes through what a user planted. Real folders, a real unprivileged user
// (uid 65534 through setpriv, as the e2e tests use), real links to a root-only file.
import {execFileSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {assertRootOwnedDir, ensureRootDir, mkdirNoFollow, unsafeDirReason, writeNewFile, writeNewFileSync} from '../../src/os/safe-dir.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'

const NOBODY = 65534
const asNobody = (...command: string[]): void => {
  execFileSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...command], {stdio: 'pipe'})
}

function thrown(fn: () => void): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a refusal')
}

describe('safe-dir: folders and files root writes (#11 2.1)', () => {
  const made: string[] = []
  const temp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `nmg-safe-${prefix}-`))
    made.push(dir)
    return dir
  }
  /** A root-only folder holding a root-only file, the target of every planted link. */
  let secretDir: string
  let secret: string
  beforeEach(function () {
    requirePart(this, isRoot(), 'running as root')
    secretDir = temp('secret')
    secret = join(secretDir, 'root-only')
    writeFileSync(secret, 'root only\n', {mode: 0o600})
  })
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, {force: true, recursive: true})
  })

  it('accepts a root-owned 0700 folder under /tmp (sticky above is fine)', () => {
    const dir = temp('ok')
    expect(unsafeDirReason(dir)).to.equal(null)
    assertRootOwnedDir(dir)
  })

  it('refuses a folder a real unprivileged user owns, one others can write, and a link', function () {
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const owned = temp('owned')
    chownSync(owned, NOBODY, NOBODY)
    const error = thrown(() => assertRootOwnedDir(owned))
    expect(error.key).to.equal('os.unsafeFolder')
    expect(error.params).to.deep.equal({dir: owned})
    expect(error.detail).to.deep.equal({key: 'os.unsafeFolder.owner', params: {path: owned, uid: NOBODY}})

    const open = temp('open')
    chmodSync(open, 0o777)
    expect(thrown(() => assertRootOwnedDir(open)).detail).to.deep.equal({key: 'os.unsafeFolder.writable', params: {mode: '0777', path: open}})

    const link = join(temp('link'), 'evidence')
    symlinkSync(secretDir, link)
    expect(thrown(() => assertRootOwnedDir(link)).detail?.key).to.equal('os.unsafeFolder.link')
  })

  it('refuses a root-owned folder inside a folder the user owns (it could be swapped), before creating anything', function () {
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const home = temp('home')
    chownSync(home, NOBODY, NOBODY)
    const inside = join(home, 'evidence')
    mkdirSync(inside, {mode: 0o700})
    expect(thrown(() => assertRootOwnedDir(inside)).detail).to.deep.equal({key: 'os.unsafeFolder.owner', params: {path: home, uid: NOBODY}})
    // The user links a would-be parent to the root-only folder: ensureRootDir checks first and makes nothing there.
    asNobody('ln', '-s', secretDir, join(home, 'planted'))
    expect(thrown(() => ensureRootDir(join(home, 'planted', 'new'))).key).to.equal('os.unsafeFolder')
    expect(existsSync(join(secretDir, 'new'))).to.equal(false)
  })

  it('mkdirNoFollow makes a real folder and refuses a link or a file in its place', () => {
    const base = temp('mk')
    mkdirNoFollow(join(base, 'fresh'))
    expect(statSync(join(base, 'fresh')).mode & 0o777).to.equal(0o700)
    symlinkSync(secretDir, join(base, 'link'))
    expect(thrown(() => mkdirNoFollow(join(base, 'link'))).detail?.key).to.equal('os.unsafeFolder.link')
    writeFileSync(join(base, 'file'), '')
    expect(thrown(() => mkdirNoFollow(join(base, 'file'))).detail?.key).to.equal('os.unsafeFolder.notFolder')
  })

  it('writeNewFile refuses a link planted under its name (live or dangling) and writes nothing through it', async function () {
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const dir = temp('write')
    chmodSync(dir, 0o777)
    asNobody('ln', '-s', secret, join(dir, 'connections.txt'))
    asNobody('ln', '-s', join(secretDir, 'would-be-new'), join(dir, 'dangling.txt'))
    for (const name of ['connections.txt', 'dangling.txt']) {
      const error = await writeNewFile(join(dir, name), 'evidence\n').catch((e: NodeJS.ErrnoException) => e)
      expect((error as NodeJS.ErrnoException).code, name).to.equal('EEXIST')
      expect(() => writeNewFileSync(join(dir, name), 'evidence\n')).to.throw(/EEXIST/)
    }
    expect(readFileSync(secret, 'utf8')).to.equal('root only\n')
    expect(existsSync(join(secretDir, 'would-be-new'))).to.equal(false)
    await writeNewFile(join(dir, 'fresh.txt'), 'x', 0o600)
    expect(statSync(join(dir, 'fresh.txt')).mode & 0o777).to.equal(0o600)
  })
})
