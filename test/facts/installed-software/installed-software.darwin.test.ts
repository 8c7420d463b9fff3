import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseSpApplications, publisherFrom} from '../../../src/facts/installed-software/installed-software.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const SP = '/usr/sbin/system_profiler SPApplicationsDataType -json -detailLevel mini'

describe('installed_software on darwin', () => {
  const rows = parseSpApplications(fixture('darwin/system_profiler-applications-mini.json'))
  const byName = (name: string) => rows.find((r) => r.name === name)

  it('lists every application as source "app"', () => {
    expect(rows).to.have.length(9)
    expect(rows.every((r) => r.source === 'app')).to.equal(true)
  })

  it('takes the publisher from the Developer ID certificate', () => {
    expect(byName('向日葵远程控制')).to.deep.equal({
      install_date: '2026-09-14',
      location: '/Applications/SunloginClient.app',
      name: '向日葵远程控制',
      publisher: 'Oray Inc',
      source: 'app',
      user: null,
      version: '15.2.0.63062',
    })
    expect(byName('钉钉')?.publisher).to.equal('Alibaba (China) Technology Co., Ltd.')
    expect(byName('腾讯会议')?.publisher).to.equal('Tencent Technology (Shenzhen) Company Limited')
  })

  it('falls back to where the app came from for Apple and App Store signatures', () => {
    expect(byName('Safari')?.publisher).to.equal('Apple')
    expect(byName('App Store')?.publisher).to.equal('Apple')
    expect(byName('微信')?.publisher).to.equal('Mac App Store')
    expect(byName('微信')?.version).to.equal('3.8.7')
  })

  it('leaves unsigned, version-less apps with nulls and names the owner of per-user apps', () => {
    expect(byName('批量发布助手')).to.include({publisher: null, user: 'zhangwei', version: null})
    expect(byName('Automator Application Stub')?.publisher).to.equal(null)
  })

  it('knows the certificate forms', () => {
    expect(publisherFrom(['Apple Distribution: Beijing Kuaishou Technology Co., Ltd. (8F4T6K9B2Q)'], 'identified_developer')).to.equal('Beijing Kuaishou Technology Co., Ltd.')
    expect(publisherFrom(undefined, 'identified_developer')).to.equal(null)
  })

  it('rejects output that is not the expected JSON', () => {
    expect(() => parseSpApplications('Applications:\n\n    Safari:\n')).to.throw(FactError, /invalid JSON/)
  })

  it('collects through system_profiler with a timeout under the table budget', async () => {
    const exec = fakeExec({[SP]: fixture('darwin/system_profiler-applications-mini.json')})
    const result = await collect(testContext('darwin', {exec}))
    expect(result.map((r) => r.name)).to.include.members(['微信', '钉钉', '腾讯会议', '向日葵远程控制'])
    expect(exec.calls).to.deep.equal([SP.split(' ')])
  })

  it('throws when system_profiler is missing or fails', async () => {
    const missing = await collect(testContext('darwin', {exec: fakeExec({})})).catch((e: unknown) => e)
    expect((missing as FactError).kind).to.equal('missing_tool')
    const failed = await collect(testContext('darwin', {exec: fakeExec({[SP]: {code: 1, stderr: 'system_profiler: Operation not permitted'}})})).catch((e: unknown) => e)
    expect((failed as FactError).kind).to.equal('permission')
  })
})
