import {expect} from 'chai'

import {runCli} from '../helpers/run-cli.js'

describe('nm-guard playbook', () => {
  it('prints the 断网预案 checklist in Chinese, with the disconnect command and both authorities', async () => {
    const r = await runCli(['playbook', '--lang', 'zh-CN'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(/^1\. /m)
    expect(r.stdout).to.contain('nm-guard disconnect').and.to.contain('网信').and.to.contain('公安')
  })

  it('gives the same steps in English under --json', async () => {
    const zh = JSON.parse((await runCli(['playbook', '--json', '--lang', 'zh-CN'])).stdout) as {result: {steps: unknown[]}}
    const en = JSON.parse((await runCli(['playbook', '--json', '--lang', 'en'])).stdout) as {status: number; result: {title: string; steps: {title: string}[]}}
    expect(en.status).to.equal(0)
    expect(en.result.steps).to.have.length(zh.result.steps.length).and.length.greaterThan(6)
    expect(en.result.steps.map((s) => s.title).join(' ')).to.match(/reconnect/i)
  })
})
