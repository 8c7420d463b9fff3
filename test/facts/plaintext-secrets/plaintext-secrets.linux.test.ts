import {expect} from 'chai'
import {join} from 'node:path'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseUserDirs, userTargets} from '../../../src/facts/plaintext-secrets/plaintext-secrets.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {isRoot, requirePart} from '../../helpers/require-part.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

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
