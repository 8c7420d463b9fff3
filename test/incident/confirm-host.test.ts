import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {confirmHostname} from '../../src/incident/confirm-host.js'
import {refusal} from '../helpers/refusal.js'


describe('confirmHostname', () => {
  it('accepts the PC name given with --confirm, in any case and with stray spaces', async () => {
    expect(await confirmHostname({given: ' GC-XMT-01 ', hostname: 'gc-xmt-01', json: true, lang: 'en'})).to.equal('gc-xmt-01')
  })

  it('refuses another name with a usage error that names both', async () => {
    const error = await refusal(confirmHostname({given: 'gc-xmt-02', hostname: 'gc-xmt-01', json: false, lang: 'en'}))
    expect(error.key).to.equal('incident.hostMismatch')
    expect(error.exitCode).to.equal(2)
    expect(error.params).to.deep.equal({given: 'gc-xmt-02', hostname: 'gc-xmt-01'})
  })

  it('never prompts under --json or without a terminal', async () => {
    const tty = Object.assign(new PassThrough(), {isTTY: true})
    expect((await refusal(confirmHostname({hostname: 'h', input: tty, json: true, lang: 'en'}))).key).to.equal('incident.confirmRequired')
    const pipe = new PassThrough()
    expect((await refusal(confirmHostname({hostname: 'h', input: pipe, json: false, lang: 'en'}))).key).to.equal('incident.confirmRequired')
  })

  it('asks on a terminal and checks the typed name', async () => {
    const output = new PassThrough()
    let asked = ''
    output.on('data', (d: Buffer) => (asked += d.toString()))
    const ok = Object.assign(new PassThrough(), {isTTY: true})
    const confirmed = confirmHostname({hostname: 'gc-xmt-01', input: ok, json: false, lang: 'zh-CN', output})
    ok.write('gc-xmt-01\n')
    expect(await confirmed).to.equal('gc-xmt-01')
    expect(asked).to.contain('gc-xmt-01').and.to.contain('本机名称')
    const typo = Object.assign(new PassThrough(), {isTTY: true})
    const refused = confirmHostname({hostname: 'gc-xmt-01', input: typo, json: false, lang: 'en', output: new PassThrough()})
    typo.write('gc-xmt-1\n')
    expect((await refusal(refused)).key).to.equal('incident.hostMismatch')
  })
})
