import {expect} from 'chai'

import {accountProblems, ageDays, reusedFingerprints, statusOf} from '../../src/accounts/status.js'
import type {AccountRecord} from '../../src/accounts/types.js'
import {DEFAULT_RULES} from '../../src/password/types.js'

const base: AccountRecord = {
  account: 'gcfb',
  contact: null,
  created_at: '2026-01-01T00:00:00.000Z',
  custodian: '张三',
  fingerprint: 'f1',
  forced: false,
  history: [],
  info_changes: [],
  platform: 'wechat',
  rotated_at: '2026-01-01T00:00:00.000Z',
  strength_score: 4,
  weak_reasons: [],
}
const now = new Date('2026-04-01T00:00:00.000Z') // 90 days after rotated_at

describe('account status', () => {
  it('counts whole days since the password was set, never below 0', () => {
    expect(ageDays(base.rotated_at, now)).to.equal(90)
    expect(ageDays('2026-03-31T00:00:01.000Z', now)).to.equal(0)
    expect(ageDays('2026-05-01T00:00:00.000Z', now)).to.equal(0)
  })

  it('is expired only past password_max_age_days', () => {
    expect(accountProblems(base, DEFAULT_RULES, now, new Set())).to.deep.equal([])
    expect(accountProblems(base, DEFAULT_RULES, new Date(now.getTime() + 86_400_000), new Set())).to.deep.equal(['expired'])
    expect(accountProblems(base, {...DEFAULT_RULES, maxAgeDays: 30}, now, new Set())).to.deep.equal(['expired'])
  })

  it('is weak below the minimum score or with any reason, forced when stored with --force', () => {
    expect(accountProblems({...base, strength_score: 2}, DEFAULT_RULES, now, new Set())).to.deep.equal(['weak'])
    expect(accountProblems({...base, strength_score: 2}, {...DEFAULT_RULES, minScore: 2}, now, new Set())).to.deep.equal([])
    expect(accountProblems({...base, weak_reasons: ['love-code']}, DEFAULT_RULES, now, new Set())).to.deep.equal(['weak'])
    const forced = accountProblems({...base, forced: true, weak_reasons: ['love-code']}, DEFAULT_RULES, now, new Set(['f1']), true)
    expect(forced).to.deep.equal(['missing', 'forced', 'weak', 'reused'])
    expect(statusOf(forced)).to.equal('missing')
    expect(statusOf([])).to.equal('ok')
  })

  it('marks fingerprints two accounts share, ignoring unknown ones', () => {
    const records = [base, {...base, account: 'b'}, {...base, account: 'c', fingerprint: 'f2'}, {...base, account: 'd', fingerprint: ''}, {...base, account: 'e', fingerprint: ''}]
    expect([...reusedFingerprints(records)]).to.deep.equal(['f1'])
  })
})
