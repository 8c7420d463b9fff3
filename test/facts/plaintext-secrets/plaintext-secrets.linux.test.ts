import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {chownSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {FactError} from '../../../src/os/fact-error.js'
import type {CollectContext} from '../../../src/facts/types.js'
import {collect, parseUserDirs, userTargets} from '../../../src/facts/plaintext-secrets/plaintext-secrets.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {isRoot, requirePart} from '../../helpers/require-part.js'
import {type FakeEntry, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const SECRET = 'Kylin#Weibo2024'
/** No managed accounts: names only. */
const NAMES_ONLY = {loadSecrets: async (): Promise<string[]> => []}

describe('plaintext_secrets (linux)', () => {
  after(removeFakeRoots)

  it('reads the XDG user folders of a Chinese 银河麒麟 desktop', () => {
    expect(parseUserDirs(fixture('linux/user-dirs-kylin.dirs'), '/home/kylin')).to.deep.equal({
      desktop: '/home/kylin/桌面',
      documents: '/home/kylin/文档',
      downloads: '/home/kylin/下载',
    })
  })

  it('takes absolute paths and escapes, and leaves out disabled, relative and malformed lines', () => {
    const text = [
      'XDG_DESKTOP_DIR="/data/xmt/桌面"',
      'XDG_DOCUMENTS_DIR="$HOME/"', // set to $HOME: disabled
      'XDG_DOWNLOAD_DIR="$HOME/My \\"Downloads\\""',
      '# XDG_DESKTOP_DIR="$HOME/commented"',
      'XDG_MUSIC_DIR="$HOME/音乐"',
    ].join('\n')
    expect(parseUserDirs(text, '/home/xmt')).to.deep.equal({desktop: '/data/xmt/桌面', downloads: '/home/xmt/My "Downloads"'})
    expect(parseUserDirs('XDG_DESKTOP_DIR="relative/桌面"\nXDG_DOCUMENTS_DIR=$HOME/文档', '/home/xmt')).to.deep.equal({})
  })

  it('searches the XDG folder and the English and Chinese names beside it', async () => {
    const targets = await userTargets('/home/nobody-here', 'xmt', '/nonexistent')
    expect(targets.filter((t) => t.folder === 'desktop').map((t) => t.path)).to.deep.equal(['/home/nobody-here/Desktop', '/home/nobody-here/桌面'])
  })

  it('finds password files in the current user\'s folders, old and new names alike', async () => {
    const home = fakeRoot({
      '.config/user-dirs.dirs': fixture('linux/user-dirs-kylin.dirs'),
      'Desktop/旧账号.xlsx': 'x',
      'work/桌面-unused.txt': '',
      '桌面/微博密码.txt': 'x',
      '文档/交接.txt': `登录：${SECRET}`,
      '文档/说明.txt': '无',
    })
    const ctx = testContext('linux', {env: {HOME: home, USER: 'kylin'}, isAdmin: async () => false})
    const rows = await collect(ctx, {loadSecrets: async () => [SECRET]})
    expect(rows.map((r) => [String(r.path).slice(home.length + 1), r.reason, r.folder, r.user])).to.deep.equal([
      ['Desktop/旧账号.xlsx', 'file-name', 'desktop', 'kylin'],
      ['文档/交接.txt', 'content-match', 'documents', 'kylin'],
      ['桌面/微博密码.txt', 'file-name', 'desktop', 'kylin'],
    ])
    expect(JSON.stringify(rows)).to.not.include(SECRET)
  })

  it('honours XDG_CONFIG_HOME for the current user', async () => {
    const home = fakeRoot({'cfg/user-dirs.dirs': 'XDG_DOCUMENTS_DIR="$HOME/公文"\n', '公文/口令.txt': ''})
    const rows = await collect(testContext('linux', {env: {HOME: home, XDG_CONFIG_HOME: join(home, 'cfg')}, isAdmin: async () => false}), NAMES_ONLY)
    expect(rows.map((r) => r.name)).to.deep.equal(['口令.txt'])
  })

  it('is unavailable, not empty, when the user has none of the folders', async () => {
    const home = fakeRoot({'.bashrc': ''})
    const error = (await collect(testContext('linux', {env: {HOME: home}, isAdmin: async () => false}), NAMES_ONLY).catch((e: unknown) => e)) as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.kind).to.equal('unsupported')
  })

  it('as root, also searches the folders of users logged in to a desktop', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    const root = fakeRoot({
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nkylin:x:1000:1000:kylin,,,:/home/kylin:/bin/bash\n',
      'home/kylin/.config/user-dirs.dirs': fixture('linux/user-dirs-kylin.dirs'),
      'home/kylin/桌面/账号密码.docx': 'x',
      'root/Desktop/README': 'nothing',
    })
    const exec = fakeExec({
      'loginctl list-sessions --no-legend': fixture('linux/loginctl-list-sessions.txt'),
      'loginctl show-session 2 c1 5 -p Id -p User -p Name -p Type -p Class -p Active -p Desktop': fixture('linux/loginctl-show-session.txt'),
    })
    const ctx = testContext('linux', {env: {HOME: join(root, 'root'), USER: 'root'}, exec, isAdmin: async () => true})
    const rows = await collect(ctx, NAMES_ONLY, root)
    expect(rows.map((r) => [String(r.path).slice(root.length), r.user])).to.deep.equal([['/home/kylin/桌面/账号密码.docx', 'kylin']])
  })
})

describe('plaintext_secrets (linux, as root: every person\'s home)', () => {
  after(removeFakeRoots)

  /** A machine with two people: mallory planted a link as her user-dirs.dirs; wangfang's points at a colleague's folder. */
  function machine(files: Record<string, string>): {ctx: CollectContext; root: string} {
    const root = fakeRoot({
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nwangfang:x:1003:1003::/home/wangfang:/bin/bash\nmallory:x:1001:1001::/home/mallory:/bin/bash\n',
      'home/mallory/.config/user-dirs.dirs': {symlink: '/etc/shadow'},
      'home/mallory/Desktop/.keep': '',
      'home/wangfang/工作 桌面/.keep': '',
      'root/Desktop/README': 'nothing',
      'srv/colleague/他人密码.txt': '',
      ...files,
    })
    chownSync(join(root, 'srv', 'colleague'), 1005, 1005)
    writeFileSync(join(root, 'home', 'wangfang', '.config', 'user-dirs.dirs'), `XDG_DOCUMENTS_DIR="${join(root, 'srv', 'colleague')}"\nXDG_DESKTOP_DIR="$HOME/工作 桌面"\n`)
    const ctx = testContext('linux', {env: {HOME: join(root, 'root'), USER: 'root'}, exec: fakeExec({}), isAdmin: async () => true})
    return {ctx, root}
  }

  it('searches the people of /etc/passwd, never through a planted link or into a folder the user does not own', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    const {ctx, root} = machine({'home/mallory/Desktop/密码.txt': '', 'home/wangfang/.config/.keep': '', 'home/wangfang/工作 桌面/微博账号.xlsx': 'x'})
    const rows = await collect(ctx, NAMES_ONLY, root)
    expect(rows.map((r) => [String(r.path).slice(root.length), r.user, r.folder])).to.deep.equal([
      ['/home/mallory/Desktop/密码.txt', 'mallory', 'desktop'],
      ['/home/wangfang/工作 桌面/微博账号.xlsx', 'wangfang', 'desktop'],
    ])
  })

  it('says what it could not check rather than claim a clean machine, including users whose passwords are in their own keychain', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    const {ctx, root} = machine({'home/wangfang/.config/nm-guard/accounts.json': JSON.stringify({accounts: [{account: 'gcdy', custodian: '王芳', platform: 'douyin', rotated_at: '2026-01-01T00:00:00Z', strength_score: 4}]})})
    const error = (await collect(ctx, NAMES_ONLY, root).catch((e: unknown) => e)) as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.message).to.include(`mallory's user-dirs.dirs was not used (${join(root, 'home', 'mallory', '.config', 'user-dirs.dirs')} is a link: not followed)`)
    expect(error.message).to.include(`${join(root, 'srv', 'colleague')} is outside wangfang's home (${join(root, 'home', 'wangfang')}): not searched`)
    expect(error.message).to.include("wangfang's 1 managed password(s) are in their own keychain")
    expect(error.message).to.not.include('他人密码')
  })
})

describe('plaintext_secrets (linux): nothing a user plants hangs the audit or leads it out of their home', () => {
  after(removeFakeRoots)

  const fifo = (path: string): void => {
    execFileSync('mkfifo', [path])
  }

  it('skips a FIFO planted as the user\'s own user-dirs.dirs, promptly, and says so', async function () {
    this.timeout(10_000)
    const home = fakeRoot({'.config/.keep': '', 'Desktop/密码.txt': ''})
    fifo(join(home, '.config', 'user-dirs.dirs'))
    const started = Date.now()
    const rows = await collect(testContext('linux', {env: {HOME: home, USER: 'xmt'}, isAdmin: async () => false}), NAMES_ONLY)
    expect(Date.now() - started).to.be.below(4000)
    expect(rows.map((r) => r.name)).to.deep.equal(['密码.txt'])
  })

  /**
   * root's scheduled audit on a machine where wangfang (1003) controls her home. Nothing of hers is
   * found by name, so the table is unavailable and its message lists what was not searched.
   */
  function rootAudit(files: Record<string, FakeEntry>): {ctx: CollectContext; root: string} {
    const root = fakeRoot({
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nwangfang:x:1003:1003::/home/wangfang:/bin/bash\n',
      'home/other/Desktop/他人密码.txt': '',
      'home/wangfang/.config/.keep': '',
      'root/.config/.keep': '',
      'root/Desktop/README': 'nothing',
      'srv/secret/运维密码.txt': '',
      ...files,
    })
    const ctx = testContext('linux', {env: {HOME: join(root, 'root'), USER: 'root'}, exec: fakeExec({}), isAdmin: async () => true})
    return {ctx, root}
  }

  it('as root, skips a FIFO at root\'s and at a user\'s user-dirs.dirs within seconds', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    this.timeout(15_000)
    const {ctx, root} = rootAudit({'home/wangfang/桌面/说明.txt': ''})
    fifo(join(root, 'root', '.config', 'user-dirs.dirs'))
    fifo(join(root, 'home', 'wangfang', '.config', 'user-dirs.dirs'))
    const started = Date.now()
    const error = (await collect(ctx, NAMES_ONLY, root).catch((e: unknown) => e)) as FactError
    expect(Date.now() - started).to.be.below(4000)
    expect(error).to.be.instanceOf(FactError)
    expect(error.message).to.include(`root's user-dirs.dirs was not used (${join(root, 'root', '.config', 'user-dirs.dirs')} is not a regular file)`)
    expect(error.message).to.include(`wangfang's user-dirs.dirs was not used (${join(root, 'home', 'wangfang', '.config', 'user-dirs.dirs')} is not a regular file)`)
  })

  it('as root, does not search a folder user-dirs.dirs puts outside the home (/etc, $HOME/../other)', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    const {ctx, root} = rootAudit({'home/wangfang/Desktop/说明.txt': ''})
    const dirs = `XDG_DESKTOP_DIR="$HOME/../other/Desktop"\nXDG_DOCUMENTS_DIR="${join(root, 'srv', 'secret')}"\nXDG_DOWNLOAD_DIR="/etc"\n`
    writeFileSync(join(root, 'home', 'wangfang', '.config', 'user-dirs.dirs'), dirs)
    chownSync(join(root, 'home', 'wangfang', '.config', 'user-dirs.dirs'), 1003, 1003)
    const error = (await collect(ctx, NAMES_ONLY, root).catch((e: unknown) => e)) as FactError
    expect(error, 'nothing found outside the home').to.be.instanceOf(FactError)
    expect(error.message).to.not.include('他人密码').and.not.include('运维密码')
    const home = join(root, 'home', 'wangfang')
    expect(error.message).to.include(`${join(root, 'home', 'other', 'Desktop')} is outside wangfang's home (${home}): not searched`)
    expect(error.message).to.include(`${join(root, 'srv', 'secret')} is outside wangfang's home (${home}): not searched`)
    expect(error.message).to.include(`/etc is outside wangfang's home (${home}): not searched`)
  })

  it('as root, does not follow a Desktop linked to /etc, nor search a folder of the home someone else owns', async function () {
    requirePart(this, isRoot(), 'running as root (the root-only branch of the collector)')
    const {ctx, root} = rootAudit({'etc/口令.txt': '', 'home/wangfang/Desktop': {symlink: '/etc'}, 'home/wangfang/桌面': {symlink: '../../etc'}, 'home/wangfang/文档/交接密码.txt': ''})
    chownSync(join(root, 'home', 'wangfang', '文档'), 1005, 1005)
    const error = (await collect(ctx, NAMES_ONLY, root).catch((e: unknown) => e)) as FactError
    expect(error, 'nothing found through the links').to.be.instanceOf(FactError)
    expect(error.message).to.include(`${join(root, 'home', 'wangfang', 'Desktop')} is a link: not followed`)
    expect(error.message).to.include(`${join(root, 'home', 'wangfang', '桌面')} is a link: not followed`)
    expect(error.message).to.include(`${join(root, 'home', 'wangfang', '文档')} is not searched as wangfang's: it belongs to uid 1005`)
    expect(error.message).to.not.include('口令').and.not.include('交接密码')
  })
})
