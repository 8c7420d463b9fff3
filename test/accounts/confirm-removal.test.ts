import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {confirmRemoval} from '../../src/accounts/confirm-removal.js'
import {refusal} from '../helpers/refusal.js'

const account = {account: '藁城发布', lang: 'en' as const, platform: 'weibo' as const}

describe('confirmRemoval (account remove)', () => {
  it('accepts the account name, or platform/name, given with --confirm', async () => {
    await confirmRemoval({...account, given: ' 藁城发布 ', json: true})
    await confirmRemoval({...account, given: 'weibo/藁城发布', json: false})
  })

  it('refuses another name with a usage error naming the account', async () => {
    const error = await refusal(confirmRemoval({...account, given: '藁城', json: false}))
    expect(error).to.include({exitCode: 2, key: 'account.nameMismatch'})
    expect(error.params).to.deep.equal({account: 'weibo/藁城发布', given: '藁城'})
  })

  it('never prompts under --json or without a terminal: --confirm is required (exit 2)', async () => {
    const tty = Object.assign(new PassThrough(), {isTTY: true})
    expect(await refusal(confirmRemoval({...account, input: tty, json: true}))).to.include({exitCode: 2, key: 'account.confirmRequired'})
    expect(await refusal(confirmRemoval({...account, input: new PassThrough(), json: false}))).to.include({exitCode: 2, key: 'account.confirmRequired'})
  })

  it('asks on a terminal for the name to be typed back', async () => {
    const output = new PassThrough()
    let asked = ''
    output.on('data', (d: Buffer) => (asked += d.toString()))
    const ok = Object.assign(new PassThrough(), {isTTY: true})
    const confirmed = confirmRemoval({...account, input: ok, json: false, lang: 'zh-CN', output})
    ok.write('藁城发布\n')
    await confirmed
    expect(asked).to.contain('weibo/藁城发布').and.to.contain('请输入账号名称')
    const typo = Object.assign(new PassThrough(), {isTTY: true})
    const refused = confirmRemoval({...account, input: typo, json: false, output: new PassThrough()})
    typo.write('gcfb\n')
    expect((await refusal(refused)).key).to.equal('account.nameMismatch')
  })
})
