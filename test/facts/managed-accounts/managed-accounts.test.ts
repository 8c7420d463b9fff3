// managed_accounts from a real conf store in a throwaway folder: only metadata, never a secret.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {openAccountStore} from '../../../src/accounts/account-store.js'
import type {AccountRecord} from '../../../src/accounts/types.js'
import {TABLES} from '../../../src/facts/registry.js'
import {PLATFORMS} from '../../../src/facts/types.js'

const record = (account: string, patch: Partial<AccountRecord> = {}): AccountRecord => ({
  account,
  contact: '0311-88000000',
  created_at: '2026-01-01T00:00:00.000Z',
  custodian: '张三',
  fingerprint: `fp-${account}`,
  forced: false,
  history: ['h1', 'h2'],
  info_changes: [],
  platform: 'wechat',
  rotated_at: '2026-01-01T00:00:00.000Z',
  strength_score: 4,
  weak_reasons: [],
  ...patch,
})

const entry = TABLES.find((t) => t.spec.name === 'managed_accounts')

async function gather(dir: string) {
  if (!entry) throw new Error('managed_accounts is not registered')
  // Loaded the way the collector is (import()): mocha require()s test files, and a FactError made
  // by an import()ed collector is not an instance of a require()d copy of the class.
  const {gatherTable, makeContext} = await import('../../../src/facts/gather.js')
  // Not elevated: its own store only (elevated runs are below).
  const ctx = makeContext('linux', {env: {NMG_CONFIG_DIR: dir, USER: 'xmt'}, isAdmin: async () => false, now: () => new Date('2026-02-15T12:00:00.000Z')})
  return gatherTable(entry, ctx)
}

describe('managed_accounts facts table', () => {
  it('is registered on every platform', () => {
    for (const platform of PLATFORMS) expect(entry?.load[platform], platform).to.be.a('function')
  })

  it('is an empty table (not an error) when no account is managed', async () => {
    expect(await gather(mkdtempSync(join(tmpdir(), 'nmg-ma-')))).to.deep.equal({rows: []})
  })

  it('reports each account with age, reuse, contact and forced, without fingerprints or history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-ma-'))
    const store = await openAccountStore({NMG_CONFIG_DIR: dir})
    await store.write({
      accounts: [
        record('gcfb'),
        record('藁城发布', {contact: null, fingerprint: 'shared', platform: 'weibo'}),
        record('gcdy', {contact: '  ', fingerprint: 'shared', forced: true, platform: 'douyin', strength_score: 1, weak_reasons: ['place-year']}),
      ],
      key_id: 'k',
    })
    const result = await gather(dir)
    expect(result).to.deep.equal({
      rows: [
        {account: 'gcfb', age_days: 45, contact_set: true, custodian: '张三', forced: false, info_change_report_due: null, info_change_working_days: null, info_changed_at: null, platform: 'wechat', reused: false, rotated_at: '2026-01-01T00:00:00.000Z', store_error: null, strength_score: 4, user: 'xmt', weak_reasons: []},
        {account: '藁城发布', age_days: 45, contact_set: false, custodian: '张三', forced: false, info_change_report_due: null, info_change_working_days: null, info_changed_at: null, platform: 'weibo', reused: true, rotated_at: '2026-01-01T00:00:00.000Z', store_error: null, strength_score: 4, user: 'xmt', weak_reasons: []},
        {account: 'gcdy', age_days: 45, contact_set: false, custodian: '张三', forced: true, info_change_report_due: null, info_change_working_days: null, info_changed_at: null, platform: 'douyin', reused: true, rotated_at: '2026-01-01T00:00:00.000Z', store_error: null, strength_score: 1, user: 'xmt', weak_reasons: ['place-year']},
      ],
    })
    expect(JSON.stringify(result)).not.to.match(/fp-|shared|h1/)
  })

  it('counts working days since a custodian or contact change not yet reported, and the plan\'s deadline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-ma-'))
    const store = await openAccountStore({NMG_CONFIG_DIR: dir})
    // Gathered on Sunday 2026-02-15: the Tuesday change is 3 working days old, due the following Tuesday.
    const changes = [
      {at: '2026-02-10T12:00:00.000Z', fields: ['custodian' as const], reported_at: null},
      {at: '2026-02-09T12:00:00.000Z', fields: ['contact' as const], reported_at: '2026-02-09T13:00:00.000Z'},
    ]
    await store.write({accounts: [record('gcfb', {info_changes: [changes[1], changes[0]] as AccountRecord['info_changes']}), record('gcdy', {info_changes: [changes[1]] as AccountRecord['info_changes'], platform: 'douyin'})], key_id: 'k'})
    const result = (await gather(dir)) as {rows: Array<Record<string, unknown>>}
    expect(result.rows.map((r) => [r.account, r.info_changed_at, r.info_change_working_days, r.info_change_report_due])).to.deep.equal([
      ['gcfb', '2026-02-10T12:00:00.000Z', 3, '2026-02-17'],
      ['gcdy', null, null, null],
    ])
  })

  it('is unavailable, with the reason, when the store is damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-ma-'))
    writeFileSync(join(dir, 'accounts.json'), 'not json')
    const result = await gather(dir)
    expect(result).to.have.property('error').that.matches(/^cannot read the account store: .*accounts\.json: Unexpected token/)
  })
})
