// managed_accounts in an elevated audit (root's cron/systemd job, SYSTEM's scheduled task): every
// local user's store, read as a hostile file, each row naming whose; a bad store costs only its user.
import {chownSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {collect} from '../../../src/accounts/managed-accounts-facts.js'
import {MAX_STORE_BYTES} from '../../../src/accounts/profile-stores.js'
import type {AccountRecord} from '../../../src/accounts/types.js'
import type {Row} from '../../../src/facts/types.js'
import {testContext} from '../../helpers/fake-exec.js'
import {isRoot, requirePart} from '../../helpers/require-part.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'
import {winContext} from '../win32/ps-fixtures.js'

const NOW = new Date('2026-02-15T12:00:00.000Z')
const record = (account: string, patch: Partial<AccountRecord> = {}): AccountRecord => ({
  account,
  contact: '0311-88000000',
  created_at: '2026-01-01T00:00:00.000Z',
  custodian: '张伟',
  fingerprint: `fp-${account}`,
  forced: false,
  history: [],
  info_changes: [],
  platform: 'wechat',
  rotated_at: '2026-01-01T00:00:00.000Z',
  strength_score: 4,
  weak_reasons: [],
  ...patch,
})
const store = (...records: AccountRecord[]): string => JSON.stringify({accounts: records, key_id: 'k'})
const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'zhangwei:x:1000:1000:张伟,,,:/home/zhangwei:/bin/bash',
  'mallory:x:1001:1001::/home/mallory:/bin/bash',
  'bigstore:x:1002:1002::/home/big store:/bin/bash',
  'wangfang:x:1003:1003::/home/wangfang:/bin/bash',
  'gone:x:1004:1004::/home/gone:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
].join('\n')

const brief = (rows: Row[]): unknown[] => rows.map((r) => [r.user, r.account ?? null, r.reused ?? null, r.store_error ?? null])

describe('managed_accounts of every local user (elevated)', () => {
  after(removeFakeRoots)

  function linuxMachine(): {root: string; own: string} {
    const root = fakeRoot({
      'etc/passwd': PASSWD,
      // The same fingerprint in two users' stores is not reuse: each user's HMAC key is their own.
      'home/big store/.config/nm-guard/accounts.json': Buffer.alloc(MAX_STORE_BYTES + 1, 0x20),
      'home/mallory/.config/nm-guard/accounts.json': {symlink: '/etc/shadow'},
      'home/wangfang/.config/nm-guard/accounts.json': store(record('gcdy', {fingerprint: 'same', platform: 'douyin'})),
      'home/zhangwei/.config/nm-guard/accounts.json': store(record('gcfb', {fingerprint: 'same'}), record('藁城发布', {fingerprint: 'same', platform: 'weibo'})),
      'root/.config/nm-guard/accounts.json': store(),
    })
    for (const [user, uid] of [['zhangwei', 1000], ['wangfang', 1003]] as const) chownSync(join(root, 'home', user, '.config', 'nm-guard', 'accounts.json'), uid, uid)
    return {own: join(root, 'root', '.config', 'nm-guard'), root}
  }

  it('as root, reads each user\'s store, refuses a planted link and an oversized store by name, and keeps the others', async function () {
    requirePart(this, isRoot(), 'running as root (to give the stores their users as owners)')
    const {own, root} = linuxMachine()
    const ctx = testContext('linux', {env: {NMG_CONFIG_DIR: own, USER: 'root'}, isAdmin: async () => true, now: () => NOW})
    const rows = await collect(ctx, root)
    const shadow = join(root, 'home', 'mallory', '.config', 'nm-guard', 'accounts.json')
    expect(brief(rows)).to.deep.equal([
      ['zhangwei', 'gcfb', true, null],
      ['zhangwei', '藁城发布', true, null],
      ['mallory', null, null, `${shadow} is a link: not followed`],
      ['bigstore', null, null, `${join(root, 'home', 'big store', '.config', 'nm-guard', 'accounts.json')} is ${MAX_STORE_BYTES + 1} bytes, more than the ${MAX_STORE_BYTES} accepted`],
      ['wangfang', 'gcdy', false, null],
    ])
    expect(JSON.stringify(rows)).to.not.match(/root:|fp-|same/)
  })

  it('not elevated, reads its own store only', async () => {
    const {root} = linuxMachine()
    const ctx = testContext('linux', {env: {NMG_CONFIG_DIR: join(root, 'home', 'zhangwei', '.config', 'nm-guard'), USER: 'zhangwei'}, isAdmin: async () => false, now: () => NOW})
    expect(brief(await collect(ctx, root))).to.deep.equal([['zhangwei', 'gcfb', true, null], ['zhangwei', '藁城发布', true, null]])
  })

  it('as SYSTEM, reads each profile\'s store from its own AppData, a damaged one as that profile\'s row', async () => {
    const root = fakeRoot({
      'Users/李娜/Roaming/nm-guard/Config/accounts.json': '{"accounts": [{"platform": "weibo"',
      'Users/张伟/AppData/Roaming/nm-guard/Config/accounts.json': store(record('gcfb')),
      'Users/王 芳/NTUSER.DAT': 'not a hive',
    })
    const profile = (sid: string, name: string, patch: Record<string, unknown> = {}): Record<string, unknown> => ({Account: `PC\\${name}`, Exists: true, Loaded: true, ProfilePath: join(root, 'Users', name), ShellFolders: {}, Sid: sid, ...patch})
    const ctx = winContext(
      {
        user_profiles: [
          profile('S-1-5-18', 'SYSTEM'),
          profile('S-1-5-21-1-2-3-1001', '张伟'),
          profile('S-1-5-21-1-2-3-1002', '王 芳', {Loaded: false}),
          profile('S-1-5-21-1-2-3-1003', '李娜', {ShellFolders: {AppData: join(root, 'Users', '李娜', 'Roaming')}}),
        ],
      },
      {env: {NMG_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'nmg-sys-')), USERNAME: 'SYSTEM'}, isAdmin: async () => true, now: () => NOW},
    )
    const rows = await collect(ctx)
    expect(brief(rows)).to.deep.equal([
      ['张伟', 'gcfb', false, null],
      ['李娜', null, null, `${join(root, 'Users', '李娜', 'Roaming', 'nm-guard', 'Config', 'accounts.json')} is not valid JSON`],
    ])
    expect(ctx.scripts()[0]).to.contain('ProfileList').and.contain('DoNotExpandEnvironmentNames')
  })

  it('elevated with a damaged own store, still reports the other users (the own store is one error row)', async function () {
    requirePart(this, isRoot(), 'running as root (to give the stores their users as owners)')
    const {root} = linuxMachine()
    const own = fakeRoot({'accounts.json': 'not json'})
    const rows = await collect(testContext('linux', {env: {NMG_CONFIG_DIR: own, USER: 'root'}, isAdmin: async () => true, now: () => NOW}), root)
    expect(rows[0]?.user).to.equal('root')
    expect(rows[0]).to.not.have.property('account')
    expect(rows[0]?.store_error).to.match(/^cannot read the account store: .*accounts\.json: Unexpected token/)
    expect(rows.filter((r) => r.account !== undefined && r.account !== null)).to.have.length(3)
  })
})
