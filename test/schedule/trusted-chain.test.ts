import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {t} from '../../src/i18n/messages.js'
import {buildPlan} from '../../src/schedule/plan.js'
import {openScheduler} from '../../src/schedule/scheduler.js'
import {assertTrustedChain, type ChainFs, type ChainStat, realChainFs, untrustedInChain} from '../../src/schedule/trusted-chain.js'
import {fakeExec} from '../helpers/fake-exec.js'
import {isRoot, requirePart} from '../helpers/require-part.js'

/** A file system of owners and modes; `links` maps a path to what realpath makes of it. */
function fakeFs(entries: Record<string, ChainStat>, links: Record<string, string> = {}): ChainFs & {seen: string[]} {
  const seen: string[] = []
  return {
    lstat(path) {
      seen.push(path)
      const entry = entries[path]
      if (!entry) throw Object.assign(new Error(`ENOENT: ${path}`), {code: 'ENOENT'})
      return entry
    },
    realpath(path) {
      const real = links[path] ?? path
      if (!entries[real]) throw Object.assign(new Error(`ENOENT: ${path}`), {code: 'ENOENT'})
      return real
    },
    seen,
  }
}

const root = (mode: number): ChainStat => ({mode, uid: 0})
/** The packaged install: everything root's, 0755 folders and programs, 0644 run.js. */
const PACKAGED: Record<string, ChainStat> = {
  '/': root(0o40_755),
  '/usr': root(0o40_755),
  '/usr/bin': root(0o40_755),
  '/usr/bin/node': root(0o100_755),
  '/usr/lib': root(0o40_755),
  '/usr/lib/nm-guard': root(0o40_755),
  '/usr/lib/nm-guard/bin': root(0o40_755),
  '/usr/lib/nm-guard/bin/run.js': root(0o100_644),
}
const COMMAND = ['/usr/bin/node', '/usr/lib/nm-guard/bin/run.js', 'audit', '--report', '--scheduled']

describe('schedule: the code root will run must be root\'s', () => {
  it('accepts a root-owned 0755 chain, checking every folder up to /', () => {
    const fs = fakeFs(PACKAGED)
    expect(untrustedInChain(COMMAND.slice(0, 2), fs, 'linux')).to.equal(null)
    expect(fs.seen).to.include.members(['/usr/lib/nm-guard/bin/run.js', '/usr/lib/nm-guard/bin', '/usr/lib/nm-guard', '/usr/lib', '/usr', '/', '/usr/bin/node', '/usr/bin'])
    expect(() => assertTrustedChain(COMMAND, fs, 'linux')).to.not.throw()
  })

  it('refuses a chain with a user-owned folder, naming that folder', () => {
    const fs = fakeFs({...PACKAGED, '/home/kylin': {mode: 0o40_755, uid: 1000}, '/home': root(0o40_755), '/home/kylin/nm-guard': root(0o40_755), '/home/kylin/nm-guard/bin': root(0o40_755), '/home/kylin/nm-guard/bin/run.js': root(0o100_644)})
    expect(untrustedInChain(['/usr/bin/node', '/home/kylin/nm-guard/bin/run.js'], fs, 'linux')).to.deep.equal({path: '/home/kylin', reason: 'owner', uid: 1000})
  })

  it('refuses a group-writable file, and a world-writable folder', () => {
    expect(untrustedInChain(COMMAND.slice(0, 2), fakeFs({...PACKAGED, '/usr/lib/nm-guard/bin/run.js': root(0o100_664)}), 'linux')).to.deep.equal({mode: '0664', path: '/usr/lib/nm-guard/bin/run.js', reason: 'writable'})
    expect(untrustedInChain(COMMAND.slice(0, 2), fakeFs({...PACKAGED, '/usr/bin': root(0o41_777)}), 'linux')).to.deep.equal({mode: '1777', path: '/usr/bin', reason: 'writable'})
  })

  it('lets a sticky root-owned folder (/tmp) stand above the chain, but not be the file\'s own folder', () => {
    const sticky = {...PACKAGED, '/tmp': root(0o41_777), '/tmp/ci': root(0o40_755), '/tmp/ci/bin': root(0o40_755), '/tmp/ci/bin/run.js': root(0o100_644), '/tmp/run.js': root(0o100_644)}
    expect(untrustedInChain(['/usr/bin/node', '/tmp/ci/bin/run.js'], fakeFs(sticky), 'linux')).to.equal(null)
    expect(untrustedInChain(['/usr/bin/node', '/tmp/run.js'], fakeFs(sticky), 'linux')).to.deep.equal({mode: '1777', path: '/tmp', reason: 'writable'})
    // Writable without the sticky bit: anyone could rename root's folder away.
    expect(untrustedInChain(['/tmp/ci/bin/run.js'], fakeFs({...sticky, '/tmp': root(0o40_777)}), 'linux')).to.deep.equal({mode: '0777', path: '/tmp', reason: 'writable'})
  })

  it('resolves links before the check: a root-owned link to a user\'s node is refused, a link to root\'s is accepted', () => {
    const userNode = {...PACKAGED, '/home': root(0o40_755), '/home/kylin': {mode: 0o40_700, uid: 1000}, '/home/kylin/node': {mode: 0o100_755, uid: 1000}}
    expect(untrustedInChain(COMMAND.slice(0, 2), fakeFs(userNode, {'/usr/bin/node': '/home/kylin/node'}), 'linux')).to.deep.equal({path: '/home/kylin/node', reason: 'owner', uid: 1000})
    const fs = fakeFs({...PACKAGED, '/usr/lib/node-v20': root(0o100_755)}, {'/usr/bin/node': '/usr/lib/node-v20'})
    expect(untrustedInChain(COMMAND.slice(0, 2), fs, 'linux')).to.equal(null)
    expect(fs.seen).to.include('/usr/lib/node-v20').and.not.include('/usr/bin/node')
  })

  it('refuses a path that cannot be checked', () => {
    expect(untrustedInChain(['/usr/bin/node', '/gone/bin/run.js'], fakeFs(PACKAGED), 'linux')).to.deep.equal({path: '/gone/bin/run.js', reason: 'missing'})
  })

  it('Windows: owners are not in stat there, so nothing is refused by this check', () => {
    expect(untrustedInChain(['C:\\Users\\x\\node.exe', 'C:\\Users\\x\\run.js'], fakeFs({}), 'win32')).to.equal(null)
  })

  it('says why in both languages, with the way out', () => {
    const fs = fakeFs({...PACKAGED, '/usr/lib/nm-guard/bin/run.js': {mode: 0o100_644, uid: 1000}})
    let error: unknown
    try {
      assertTrustedChain(COMMAND, fs, 'linux')
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    const e = error as UserError
    expect(e.key).to.equal('schedule.error.untrustedCode')
    const message = (lang: 'en' | 'zh-CN'): string => t(lang, e.key, {...e.params, detail: e.detail ? t(lang, e.detail.key, e.detail.params) : ''})
    expect(message('en')).to.equal(
      'Refusing to schedule the audit as root: root would run code a user can change (/usr/lib/nm-guard/bin/run.js is owned by uid 1000, not by root). Install the nm-guard package (it installs to /usr/lib/nm-guard) or install nm-guard where root owns the program and every folder above it, and run schedule install from there',
    )
    expect(message('zh-CN')).to.include('拒绝以 root 身份设置每日审计').and.include('/usr/lib/nm-guard/bin/run.js 的所有者是 uid 1000，不是 root')
  })

  describe('on the real file system', () => {
    let dir: string
    beforeEach(function () {
      requirePart(this, isRoot(), 'root (to make files owned by another user)')
      dir = mkdtempSync(join(tmpdir(), 'nmg-chain-'))
      chmodSync(dir, 0o755)
      mkdirSync(join(dir, 'app', 'bin'), {recursive: true, mode: 0o755})
      writeFileSync(join(dir, 'app', 'bin', 'run.js'), '', {mode: 0o644})
    })
    afterEach(() => {
      if (dir) rmSync(dir, {force: true, recursive: true})
    })

    it('passes root-owned 0755 folders up to the temp folder, refuses a user-owned one and a group-writable file, through links', () => {
      const run = join(dir, 'app', 'bin', 'run.js')
      // Everything of ours passes, below the sticky temp folder (root's entries in /tmp stay root's).
      expect(untrustedInChain([run], realChainFs, 'linux')).to.equal(null)
      const link = join(dir, 'link.js')
      symlinkSync(run, link)
      chownSync(join(dir, 'app'), 1000, 1000)
      expect(untrustedInChain([link], realChainFs, 'linux')).to.deep.equal({path: join(dir, 'app'), reason: 'owner', uid: 1000})
      chownSync(join(dir, 'app'), 0, 0)
      chmodSync(run, 0o664)
      expect(untrustedInChain([link], realChainFs, 'linux')).to.deep.equal({mode: '0664', path: run, reason: 'writable'})
    })
  })

  describe('schedule install as root', () => {
    let fsRoot: string
    beforeEach(() => {
      fsRoot = mkdtempSync(join(tmpdir(), 'nmg-sched-chain-'))
      mkdirSync(join(fsRoot, 'etc', 'cron.d'), {recursive: true})
    })
    afterEach(() => rmSync(fsRoot, {force: true, recursive: true}))

    const plan = () => buildPlan({binPath: '/home/kylin/nm-guard/bin/run.js', execPath: '/usr/bin/node', host: 'pc-1', time: '12:30'})

    it('refuses to write root\'s schedule when a user owns a folder of the chain, and writes nothing', async () => {
      const chainFs = fakeFs({...PACKAGED, '/home': root(0o40_755), '/home/kylin': {mode: 0o40_755, uid: 1000}, '/home/kylin/nm-guard': {mode: 0o40_755, uid: 1000}, '/home/kylin/nm-guard/bin': {mode: 0o40_755, uid: 1000}, '/home/kylin/nm-guard/bin/run.js': {mode: 0o100_644, uid: 1000}})
      const scheduler = await openScheduler('linux', {admin: true, chainFs, exec: fakeExec({}), fsRoot, stateDir: fsRoot})
      const error = (await scheduler.install(plan()).catch((e: unknown) => e)) as UserError
      expect(error).to.be.instanceOf(UserError)
      expect(error.detail?.params).to.deep.equal({path: '/home/kylin/nm-guard/bin/run.js', uid: 1000})
      expect(existsSync(join(fsRoot, 'etc', 'cron.d', 'nm-guard'))).to.equal(false)
    })

    it('installs from a root-owned chain, and checks nothing for a user\'s own schedule', async () => {
      const chainFs = fakeFs({...PACKAGED, '/home': root(0o40_755), '/home/kylin': root(0o40_755), '/home/kylin/nm-guard': root(0o40_755), '/home/kylin/nm-guard/bin': root(0o40_755), '/home/kylin/nm-guard/bin/run.js': root(0o100_644)})
      const scheduler = await openScheduler('linux', {admin: true, chainFs, exec: fakeExec({}), fsRoot, stateDir: fsRoot})
      expect((await scheduler.install(plan())).elevated).to.equal(true)
      expect(existsSync(join(fsRoot, 'etc', 'cron.d', 'nm-guard'))).to.equal(true)
      const untouched = fakeFs({})
      const user = await openScheduler('linux', {admin: false, chainFs: untouched, exec: fakeExec({crontab: {code: 0, stdout: ''}}), fsRoot, home: '/home/kylin', stateDir: fsRoot, uid: 1000})
      await user.install(plan()).catch(() => undefined)
      expect(untouched.seen).to.deep.equal([])
    })
  })
})
