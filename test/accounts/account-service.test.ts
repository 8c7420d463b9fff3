// The account logic over an in-memory keychain and metadata store: what is stored where, what is
// refused, and that a failure half-way leaves both stores as they were.
import {createHash} from 'node:crypto'

import {expect} from 'chai'

import {AccountService, BELOW_POLICY, entryName, PasswordRefused} from '../../src/accounts/account-service.js'
import {memoryStore} from '../../src/accounts/account-store.js'
import {HMAC_KEY_ENTRY} from '../../src/accounts/fingerprint.js'
import {UserError} from '../../src/cli/user-error.js'
import {DEFAULT_RULES, type Verdict} from '../../src/password/types.js'
import {memorySecrets, scriptedJudge, weakVerdict} from '../helpers/memory-secrets.js'

const DAY = 86_400_000
const T0 = Date.parse('2026-03-01T08:00:00Z')

function setup(verdicts: Record<string, Verdict> = {}) {
  const secrets = memorySecrets()
  const store = memoryStore()
  const judge = scriptedJudge(verdicts)
  const clock = {now: T0}
  const service = new AccountService({judge: async () => judge, now: () => new Date(clock.now), rules: DEFAULT_RULES, secrets, store})
  return {clock, judge, secrets, service, store}
}

const wechat = {account: 'gcfb', contact: '0311-88000000', custodian: '张三', platform: 'wechat' as const}
const weibo = {account: '藁城发布', contact: null, custodian: '李四', platform: 'weibo' as const}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('AccountService', () => {
  it('keeps the password in the keychain only, and a keyed fingerprint (not a plain hash) in the metadata', async () => {
    const {secrets, service, store} = setup()
    const view = await service.add(wechat, 'Kx9#vTq2!mWz')
    expect(view).to.include({account: 'gcfb', custodian: '张三', forced: false, platform: 'wechat', status: 'ok', strength_score: 4})
    expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Kx9#vTq2!mWz')
    expect(secrets.entries.get(HMAC_KEY_ENTRY)).to.match(/^[A-Za-z0-9+/]{43}=$/)
    const data = store.read()
    const text = JSON.stringify(data)
    expect(text).not.to.include('Kx9#vTq2!mWz')
    for (const algo of ['md5', 'sha1', 'sha256']) expect(text).not.to.include(createHash(algo).update('Kx9#vTq2!mWz').digest('hex'))
    const [record] = data.accounts
    expect(record?.fingerprint).to.match(/^[0-9a-f]{64}$/)
    expect(record).to.include({contact: '0311-88000000', created_at: '2026-03-01T08:00:00.000Z', rotated_at: '2026-03-01T08:00:00.000Z'})
    expect(data.key_id).to.match(/^[0-9a-f]{16}$/)
  })

  it('gives the model the account, platform, custodian and contact as user inputs', async () => {
    const {judge, service} = setup()
    await service.add(wechat, 'Kx9#vTq2!mWz')
    expect(judge.asked[0]?.inputs).to.deep.equal(['gcfb', 'wechat', '张三', '0311-88000000'])
  })

  it('refuses a weak password with the reasons and stores nothing', async () => {
    const {secrets, service, store} = setup({'Gaocheng@2023': weakVerdict('place-year', 1)})
    const error = await rejection(service.add(wechat, 'Gaocheng@2023'))
    expect(error).to.be.instanceOf(PasswordRefused)
    expect((error as PasswordRefused).verdict.reasons.map((r) => r.code)).to.deep.equal(['place-year'])
    expect(store.read().accounts).to.deep.equal([])
    expect(secrets.entries.has(entryName('wechat', 'gcfb'))).to.equal(false)
  })

  it('stores a weak password with --force as forced, keeping its reasons for audit', async () => {
    const {service, store} = setup({'Gaocheng@2023': weakVerdict('place-year', 1)})
    const view = await service.add(wechat, 'Gaocheng@2023', true)
    expect(view.problems).to.deep.equal(['forced', 'weak'])
    expect(view.status).to.equal('forced')
    expect(store.read().accounts[0]).to.include({forced: true, strength_score: 1})
    expect(store.read().accounts[0]?.weak_reasons).to.deep.equal(['place-year'])
  })

  it('records a reason even when the model calls a password weak without one', async () => {
    const {service, store} = setup({short: {reasons: [], score: 2, weak: true}})
    await service.add(wechat, 'short', true)
    expect(store.read().accounts[0]?.weak_reasons).to.deep.equal([BELOW_POLICY])
  })

  it('refuses an account that is already managed, leaving its password alone', async () => {
    const {secrets, service} = setup()
    await service.add(wechat, 'Kx9#vTq2!mWz')
    const error = await rejection(service.add({...wechat, custodian: '王五'}, 'Other#Pass99'))
    expect(error).to.be.instanceOf(UserError).and.to.include({key: 'account.exists'})
    expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Kx9#vTq2!mWz')
  })

  it('refuses empty names, an empty custodian, an empty password and one longer than 1,280 characters', async () => {
    const {service, store} = setup()
    expect(await rejection(service.add({...wechat, account: '  '}, 'Kx9#vTq2!mWz'))).to.include({exitCode: 2, key: 'account.emptyName'})
    expect(await rejection(service.add({...wechat, custodian: ''}, 'Kx9#vTq2!mWz'))).to.include({exitCode: 2, key: 'account.emptyCustodian'})
    expect(await rejection(service.add(wechat, ''))).to.include({key: 'account.emptyPassword'})
    expect(await rejection(service.add(wechat, 'x'.repeat(1281)))).to.include({key: 'keychain.tooLong'})
    expect(store.read().accounts).to.deep.equal([])
    await service.add(wechat, 'y'.repeat(1280))
  })

  it('refuses a password another account already uses, and flags both when it is forced', async () => {
    const {service} = setup()
    await service.add(wechat, 'Shared#Pass77')
    const error = await rejection(service.add(weibo, 'Shared#Pass77'))
    expect((error as PasswordRefused).reusedWith).to.deep.equal(['wechat/gcfb'])
    await service.add(weibo, 'Shared#Pass77', true)
    expect(service.list().map((v) => [v.account, v.problems])).to.deep.equal([
      ['gcfb', ['reused']],
      ['藁城发布', ['forced', 'reused']],
    ])
  })

  it('takes the secret back out of the keychain when the metadata cannot be written', async () => {
    const {secrets, service, store} = setup()
    store.failWrites = true
    expect(await rejection(service.add(wechat, 'Kx9#vTq2!mWz'))).to.include({key: 'file.unwritable'})
    expect(secrets.entries.has(entryName('wechat', 'gcfb'))).to.equal(false)
    // A secret left behind by an earlier crash is put back as it was.
    secrets.entries.set(entryName('wechat', 'gcfb'), 'left-over')
    await rejection(service.add(wechat, 'Kx9#vTq2!mWz'))
    expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('left-over')
  })

  it('writes no metadata when the keychain refuses the secret', async () => {
    const {secrets, service, store} = setup()
    await service.add(weibo, 'First#Pass11')
    secrets.failSets = true
    await rejection(service.add(wechat, 'Kx9#vTq2!mWz'))
    expect(store.read().accounts.map((r) => r.account)).to.deep.equal(['藁城发布'])
  })

  describe('rotate', () => {
    it('changes the password, keeps the history of fingerprints and refuses the last 5 even with --force', async () => {
      const {clock, secrets, service, store} = setup()
      await service.add(wechat, 'Pass#0-abcdef')
      for (let i = 1; i <= 5; i++) {
        clock.now += DAY
        await service.rotate('gcfb', undefined, `Pass#${i}-abcdef`)
      }
      expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Pass#5-abcdef')
      const record = store.read().accounts[0]
      expect(record?.history).to.have.length(5)
      expect(record?.rotated_at).to.equal(new Date(clock.now).toISOString())
      expect(record?.created_at).to.equal(new Date(T0).toISOString())
      for (const recent of ['Pass#5-abcdef', 'Pass#4-abcdef', 'Pass#1-abcdef']) {
        const error = await rejection(service.rotate('gcfb', undefined, recent, true))
        expect(error, recent).to.be.instanceOf(PasswordRefused).and.to.include({recent: true})
      }
      // The 6th-last password is out of the window of 5.
      await service.rotate('gcfb', undefined, 'Pass#0-abcdef')
      expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Pass#0-abcdef')
    })

    it('refuses a weak new password unless --force, and clears forced once a strong one is set', async () => {
      const {service, store} = setup({'Weibo@2023': weakVerdict('platform-year', 1), 'Weibo@2024': weakVerdict('platform-year', 1)})
      await service.add(weibo, 'Weibo@2023', true)
      expect(await rejection(service.rotate('藁城发布', 'weibo', 'Weibo@2024'))).to.be.instanceOf(PasswordRefused).and.to.include({recent: false})
      expect(store.read().accounts[0]?.weak_reasons).to.deep.equal(['platform-year'])
      await service.rotate('藁城发布', 'weibo', 'Strong#Pass-2026')
      expect(store.read().accounts[0]).to.include({forced: false, strength_score: 4})
      expect(store.read().accounts[0]?.weak_reasons).to.deep.equal([])
    })

    it('puts the old password back when the metadata cannot be written', async () => {
      const {secrets, service, store} = setup()
      await service.add(wechat, 'Old#Pass-1234')
      const before = store.read()
      store.failWrites = true
      await rejection(service.rotate('gcfb', undefined, 'New#Pass-5678'))
      expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Old#Pass-1234')
      expect(store.read()).to.deep.equal(before)
    })
  })

  describe('remove', () => {
    it('deletes the keychain entry and the record', async () => {
      const {secrets, service, store} = setup()
      await service.add(wechat, 'Kx9#vTq2!mWz')
      await service.add(weibo, 'Other#Pass99')
      await service.remove('gcfb')
      expect(secrets.entries.has(entryName('wechat', 'gcfb'))).to.equal(false)
      expect(store.read().accounts.map((r) => r.account)).to.deep.equal(['藁城发布'])
    })

    it('restores the password when the record cannot be dropped', async () => {
      const {secrets, service, store} = setup()
      await service.add(wechat, 'Kx9#vTq2!mWz')
      store.failWrites = true
      await rejection(service.remove('gcfb'))
      expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Kx9#vTq2!mWz')
      expect(store.read().accounts).to.have.length(1)
    })

    it('still drops a record whose password is already gone from the keychain', async () => {
      const {secrets, service, store} = setup()
      await service.add(wechat, 'Kx9#vTq2!mWz')
      secrets.entries.delete(entryName('wechat', 'gcfb'))
      await service.remove('gcfb')
      expect(store.read().accounts).to.deep.equal([])
    })
  })

  describe('edit', () => {
    // Sunday 2026-03-01 16:00 in Shanghai; the PC's zone is injected.
    function editing() {
      const parts = setup()
      const calls: string[] = []
      const {secrets} = parts
      const watched = {
        delete: (name: string) => (calls.push(`delete ${name}`), secrets.delete(name)),
        get: (name: string) => (calls.push(`get ${name}`), secrets.get(name)),
        set: (name: string, secret: string) => (calls.push(`set ${name}`), secrets.set(name, secret)),
      }
      const service = new AccountService({judge: async () => scriptedJudge(), now: () => new Date(parts.clock.now), rules: DEFAULT_RULES, secrets: watched, store: parts.store, zone: {timeZone: 'Asia/Shanghai'}})
      return {...parts, calls, service}
    }

    it('changes custodian and contact in the metadata only: the keychain is not even read, the secret stays byte for byte', async () => {
      const {calls, clock, secrets, service, store} = editing()
      await service.add(wechat, 'Kx9#vTq2!mWz 密码')
      const before = store.read().accounts[0]
      calls.length = 0
      clock.now += DAY
      const outcome = await service.edit('gcfb', undefined, {contact: ' 13800000000 ', custodian: '王五'})
      expect(calls).to.deep.equal([])
      expect(secrets.entries.get(entryName('wechat', 'gcfb'))).to.equal('Kx9#vTq2!mWz 密码')
      expect(outcome.changed).to.deep.equal(['custodian', 'contact'])
      const after = store.read().accounts[0]
      expect(after).to.include({contact: '13800000000', custodian: '王五', fingerprint: before?.fingerprint, rotated_at: before?.rotated_at, strength_score: before?.strength_score})
      expect(after?.info_changes).to.deep.equal([{at: '2026-03-02T08:00:00.000Z', fields: ['custodian', 'contact'], reported_at: null}])
      // Monday's change is due by the 5th working day after it: Monday 2026-03-09.
      expect(outcome.view.info_change).to.deep.equal({changed_at: '2026-03-02T08:00:00.000Z', fields: ['custodian', 'contact'], report_due: '2026-03-09', working_days: 0})
    })

    it('records nothing for a value already stored, and --reported closes every open change', async () => {
      const {clock, service, store} = editing()
      await service.add(wechat, 'Kx9#vTq2!mWz')
      expect((await service.edit('gcfb', undefined, {custodian: '张三'})).changed).to.deep.equal([])
      expect(store.read().accounts[0]?.info_changes).to.deep.equal([])
      expect((await service.edit('gcfb', undefined, {reported: true})).reported).to.equal(0)
      await service.edit('gcfb', undefined, {custodian: '王五'})
      clock.now += 3 * DAY
      await service.edit('gcfb', undefined, {contact: '13900000000'})
      clock.now += DAY
      expect(service.view(service.find('gcfb')).info_change).to.include({changed_at: '2026-03-04T08:00:00.000Z', report_due: '2026-03-06', working_days: 1})
      const reported = await service.edit('gcfb', 'wechat', {reported: true})
      expect(reported.reported).to.equal(2)
      expect(reported.view.info_change).to.equal(null)
      expect(store.read().accounts[0]?.info_changes.map((c) => c.reported_at)).to.deep.equal(['2026-03-05T08:00:00.000Z', '2026-03-05T08:00:00.000Z'])
    })

    it('refuses an empty custodian or contact, or nothing to do, with exit 2 and nothing written', async () => {
      const {service, store} = editing()
      await service.add(wechat, 'Kx9#vTq2!mWz')
      const before = store.read()
      expect(await rejection(service.edit('gcfb', undefined, {custodian: '  '}))).to.include({exitCode: 2, key: 'account.emptyCustodian'})
      expect(await rejection(service.edit('gcfb', undefined, {contact: ''}))).to.include({exitCode: 2, key: 'account.emptyContact'})
      expect(await rejection(service.edit('gcfb', undefined, {}))).to.include({exitCode: 2, key: 'account.editNothing'})
      expect(await rejection(service.edit('nobody', undefined, {custodian: '王五'}))).to.include({key: 'account.notFound'})
      expect(store.read()).to.deep.equal(before)
    })
  })

  it('asks for --platform (exit 2) when a name exists on several platforms', async () => {
    const {service} = setup()
    await service.add({...weibo, account: 'gcfb'}, 'First#Pass11')
    await service.add(wechat, 'Kx9#vTq2!mWz')
    expect(await rejection(service.remove('gcfb'))).to.include({exitCode: 2, key: 'account.ambiguous'})
    expect(service.find('gcfb', 'weibo').platform).to.equal('weibo')
    expect(() => service.find('nobody')).to.throw(UserError).with.property('key', 'account.notFound')
  })

  describe('check', () => {
    it('re-judges every password, saves the new scores and reports weak, expired, reused and missing', async () => {
      const verdicts: Record<string, Verdict> = {}
      const {clock, secrets, service, store} = setup(verdicts)
      await service.add(wechat, 'Kx9#vTq2!mWz')
      await service.add(weibo, 'Other#Pass99')
      await service.add({...wechat, account: 'gcxw'}, 'Third#Pass33')
      // The rules moved on: the first password is now judged weak; the third one is lost.
      verdicts['Kx9#vTq2!mWz'] = weakVerdict('keyboard-walk', 2)
      secrets.entries.delete(entryName('wechat', 'gcxw'))
      clock.now += 91 * DAY
      const checked = await service.check()
      expect(checked.map((c) => [c.account, c.problems])).to.deep.equal([
        ['gcfb', ['weak', 'expired']],
        ['藁城发布', ['expired']],
        ['gcxw', ['missing', 'expired']],
      ])
      expect(checked[0]?.reasons.map((r) => r.code)).to.deep.equal(['keyboard-walk'])
      expect(store.read().accounts[0]).to.include({strength_score: 2})
      expect(store.read().accounts[0]?.weak_reasons).to.deep.equal(['keyboard-walk'])
    })

    it('finds reuse again with a new key when the keychain lost the old one', async () => {
      const {secrets, service, store} = setup()
      await service.add(wechat, 'Shared#Pass77')
      await service.add(weibo, 'Shared#Pass77', true)
      const oldPrint = store.read().accounts[0]?.fingerprint
      secrets.entries.delete(HMAC_KEY_ENTRY)
      const checked = await service.check()
      expect(store.read().accounts[0]?.fingerprint).not.to.equal(oldPrint)
      expect(checked.map((c) => c.problems.includes('reused'))).to.deep.equal([true, true])
    })

    it('has nothing to say about an empty store', async () => {
      const {secrets, service} = setup()
      expect(await service.check()).to.deep.equal([])
      expect(secrets.entries.size).to.equal(0)
    })
  })
})
