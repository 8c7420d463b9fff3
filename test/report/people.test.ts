import {expect} from 'chai'

import {MAX_NAME_CHARS, MAX_PEOPLE, peopleOf} from '../../src/report/people.js'
import {compliantFacts, withTable} from '../helpers/facts-builder.js'

describe('peopleOf (who the printed report is about)', () => {
  it('takes the desktop users and account-store owners as the PC users, and the custodians, once each and never a secret', () => {
    let facts = withTable(compliantFacts('linux'), 'screen_lock', [
      {enabled: true, source: 'policy', timeout_seconds: 300, user: null},
      {enabled: true, source: 'gsettings', timeout_seconds: 300, user: 'zhangsan'},
    ])
    facts = withTable(facts, 'managed_accounts', [
      {account: 'gcfb', custodian: '张三', platform: 'wechat', store_error: null, user: 'zhangsan'},
      {account: '藁城发布', custodian: '李四', platform: 'weibo', store_error: null, user: 'lisi'},
      {account: null, custodian: '王五', platform: null, store_error: 'damaged store', user: 'wangwu'},
    ])
    expect(peopleOf(facts)).to.deep.equal({custodians: ['张三', '李四'], pc_users: ['zhangsan', 'lisi']})
  })

  it('is empty, not an error, when the tables could not be read', () => {
    const facts = withTable(withTable(compliantFacts('win32'), 'screen_lock', {error: 'timed out'}), 'managed_accounts', {error: 'timed out'})
    expect(peopleOf(facts)).to.deep.equal({custodians: [], pc_users: []})
  })

  it('bounds the lists and the names', () => {
    const rows = Array.from({length: 50}, (_, i) => ({custodian: `${'长'.repeat(100)}${i}`, store_error: null, user: `u${i}`}))
    const people = peopleOf(withTable(compliantFacts('win32'), 'managed_accounts', rows))
    expect(people.pc_users).to.have.length(MAX_PEOPLE)
    // Names cut to the bound collapse into one.
    expect(people.custodians).to.deep.equal(['长'.repeat(MAX_NAME_CHARS)])
  })
})
