// The account commands' text: times in the PC's zone (injected here), named; a custodian/contact
// change still to be reported (二(七)) said below the list.
import {expect} from 'chai'

import {AccountService} from '../../src/accounts/account-service.js'
import {memoryStore} from '../../src/accounts/account-store.js'
import {renderAccount, renderList} from '../../src/accounts/render-accounts.js'
import {DEFAULT_RULES} from '../../src/password/types.js'
import {memorySecrets, scriptedJudge} from '../helpers/memory-secrets.js'

const shanghai = {timeZone: 'Asia/Shanghai'}

async function accounts() {
  const clock = {now: Date.parse('2026-12-03T06:05:00.000Z')}
  const service = new AccountService({judge: async () => scriptedJudge(), now: () => new Date(clock.now), rules: DEFAULT_RULES, secrets: memorySecrets(), store: memoryStore(), zone: shanghai})
  await service.add({account: 'gcfb', contact: '0311-88000000', custodian: '张三', platform: 'wechat'}, 'Kx9#vTq2!mWz')
  await service.add({account: '藁城发布', contact: '0311-88000001', custodian: '李四', platform: 'weibo'}, 'Other#Pass99')
  clock.now += 3_600_000
  await service.edit('gcfb', undefined, {custodian: '王五'})
  return service
}

describe('account text output', () => {
  it('get shows when the password was set in the PC\'s zone, and the change to report', async () => {
    const service = await accounts()
    const text = renderAccount(service.view(service.find('gcfb')), 'en', shanghai)
    expect(text).to.match(/^SET ON:\s+2026-12-03 14:05 \(Asia\/Shanghai, UTC\+08:00\), 0 d$/m)
    expect(text.split('\n').at(-1)).to.equal(
      'wechat/gcfb: custodian changed 2026-12-03 15:05 (Asia/Shanghai, UTC+08:00), not yet reported. The plan (二(七)) asks for the change to be made in 全国政务新媒体信息报送系统 within 5 working days (by 2026-12-10); then run `nm-guard account edit gcfb --platform wechat --reported`',
    )
  })

  it('list says below the table which accounts have a change to report, in plain Chinese', async () => {
    const service = await accounts()
    const lines = renderList(service.list(), 'zh-CN', shanghai).split('\n')
    expect(lines).to.have.length(5)
    expect(lines[3]).to.equal('')
    expect(lines[4]).to.equal(
      'wechat/gcfb：管理人已于 2026-12-03 15:05 (Asia/Shanghai, UTC+08:00) 变更，尚未报送。按方案二(七)，须在 5 个工作日内（2026-12-10 前）在全国政务新媒体信息报送系统中同步变更；完成后运行 `nm-guard account edit gcfb --platform wechat --reported`',
    )
    await service.edit('gcfb', 'wechat', {reported: true})
    expect(renderList(service.list(), 'zh-CN', shanghai).split('\n')).to.have.length(3)
  })
})
