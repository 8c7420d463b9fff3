// The conf-backed metadata store in a throwaway folder (NMG_CONFIG_DIR).
import {existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {configDir, openAccountStore, parseData} from '../../src/accounts/account-store.js'
import type {AccountRecord} from '../../src/accounts/types.js'

const record: AccountRecord = {
  account: 'gcfb',
  contact: null,
  created_at: '2026-03-01T08:00:00.000Z',
  custodian: '张三',
  fingerprint: 'a'.repeat(64),
  forced: false,
  history: [],
  info_changes: [],
  platform: 'wechat',
  rotated_at: '2026-03-01T08:00:00.000Z',
  strength_score: 4,
  weak_reasons: [],
}

describe('account store (conf)', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'nmg-conf-'))

  it('lives in NMG_CONFIG_DIR as accounts.json, readable by its owner only', async function () {
    const dir = fresh()
    const store = await openAccountStore({NMG_CONFIG_DIR: dir})
    expect(store.path).to.equal(join(dir, 'accounts.json'))
    expect(configDir({NMG_CONFIG_DIR: dir})).to.equal(dir)
    await store.write({accounts: [record], key_id: '0123456789abcdef'})
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).to.equal(0o600)
    const again = await openAccountStore({NMG_CONFIG_DIR: dir})
    expect(again.read()).to.deep.equal({accounts: [record], key_id: '0123456789abcdef'})
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).to.have.keys('accounts', 'key_id')
  })

  it('reads an absent store as empty without creating anything', async () => {
    const dir = join(fresh(), 'not-yet')
    const store = await openAccountStore({NMG_CONFIG_DIR: dir})
    expect(store.read()).to.deep.equal({accounts: [], key_id: null})
    expect(existsSync(dir)).to.equal(false)
  })

  it("uses conf's default per-user folder otherwise", () => {
    expect(configDir({HOME: '/home/op'}, 'linux')).to.equal('/home/op/.config/nm-guard')
    expect(configDir({HOME: '/home/op', XDG_CONFIG_HOME: '/cfg'}, 'linux')).to.equal('/cfg/nm-guard')
    expect(configDir({HOME: '/Users/op'}, 'darwin')).to.equal('/Users/op/Library/Preferences/nm-guard')
    expect(configDir({APPDATA: 'C:\\Users\\op\\AppData\\Roaming'}, 'win32')).to.match(/Roaming[\\/]nm-guard[\\/]Config$/)
  })

  it('reports a damaged file and leaves it as it was', async () => {
    const dir = fresh()
    const file = join(dir, 'accounts.json')
    writeFileSync(file, '{"accounts": [')
    const store = await openAccountStore({NMG_CONFIG_DIR: dir})
    expect(() => store.read()).to.throw().with.property('key', 'account.storeUnreadable')
    // Nor does a write go over it: conf refuses the damaged file too.
    try {
      await store.write({accounts: [], key_id: null})
      expect.fail('wrote over a damaged store')
    } catch (error) {
      expect(error).to.include({key: 'account.storeUnreadable'})
    }
    expect(readFileSync(file, 'utf8')).to.equal('{"accounts": [')
  })

  it('rejects records of the wrong shape, and fills fields older files lack', () => {
    expect(() => parseData({accounts: [{account: 'x'}]}, 'f.json')).to.throw().with.property('key', 'account.storeInvalid')
    expect(() => parseData({accounts: [{...record, platform: 'myspace'}]}, 'f.json')).to.throw().with.property('key', 'account.storeInvalid')
    const {history: _h, forced: _f, ...old} = record
    expect(parseData({accounts: [old]}, 'f.json').accounts[0]).to.deep.equal(record)
  })
})
