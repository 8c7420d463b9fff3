import {expect} from 'chai'

import {loadPolicy} from '../../src/policy/load-policy.js'
import {buildReport} from '../../src/report/build-report.js'
import {renderTable} from '../../src/report/render-table.js'
import {compliantFacts, withTable} from '../helpers/facts-builder.js'
import {sampleReport} from './sample-report.js'

describe('renderTable (the terminal report)', () => {
  it('starts with the people, asset number, conclusion and counts, then the scope, before the clauses', async () => {
    const report = await sampleReport()
    const lines = renderTable(report, 'zh-CN', false).split('\n')
    const s = report.summary
    expect(lines[2]).to.equal('电脑使用人：zhangsan；账号管理人：张三、李四；资产编号：GC-ZC-2023-0042')
    expect(lines[4]).to.equal(`结论：不合格（通过 ${s.pass} 项，不符合 ${s.fail} 项，无法判断 ${s.error} 项，不适用 ${s.not_applicable} 项）`)
    expect(lines[5]).to.match(/^本机适用的检查共 \d+ 项，涉及条款：四\(二\)-2、/)
    const en = renderTable(report, 'en', false).split('\n')
    expect(en[4]).to.match(/^Conclusion: Not compliant \(\d+ passed, 10 failed, /)
  })

  it('lists each unjudged check with why, and the not-applicable ones once, grouped by why, not as result lines', async () => {
    const report = buildReport(withTable(compliantFacts('win32'), 'antivirus', {error: 'timed out'}), await loadPolicy())
    report.asset = null
    delete report.people
    const text = renderTable(report, 'en', false)
    expect(text.split('\n')[2]).to.equal('PC user(s): not recorded; account custodians: not recorded; asset number: not recorded')
    expect(text).to.match(/\n {2}\? Antivirus[^\n]*: [^\n]*timed out/)
    const na = report.results.filter((r) => r.status === 'not_applicable')
    expect(na.length).to.be.greaterThan(0)
    expect(text).to.include(`Not applicable (${na.length}, left out of the conclusion):`)
    for (const r of na) {
      expect(text.split(r.title.en).length - 1, r.id).to.equal(1)
      expect(text).not.to.include(r.id)
    }
  })
})
