// The HTML report's text: what is on top, what is collapsed, what is escaped. Its print layout is
// checked in Chromium by render-html.print.test.ts.
import {expect} from 'chai'

import {loadPolicy} from '../../src/policy/load-policy.js'
import {buildReport} from '../../src/report/build-report.js'
import {renderHtml} from '../../src/report/render-html.js'
import {compliantFacts, withTable} from '../helpers/facts-builder.js'
import {sampleReport} from './sample-report.js'

const before = (html: string, first: string, second: string): boolean => html.indexOf(first) >= 0 && html.indexOf(first) < html.indexOf(second)

describe('renderHtml (the report a district signs)', () => {
  it('puts the conclusion with every count, the people and the asset number above the details', async () => {
    const report = await sampleReport()
    const html = renderHtml(report, 'zh-CN')
    const s = report.summary
    expect(html).to.include('结论：<span class="verdict">不合格</span>')
    expect(html).to.include(`通过 ${s.pass} 项，不符合 ${s.fail} 项，无法判断 ${s.error} 项，不适用 ${s.not_applicable} 项`)
    expect(html).to.include('<td>资产编号</td><td>GC-ZC-2023-0042</td>').and.include('<td>账号管理人</td><td>张三、李四</td>').and.include('<td>电脑使用人</td><td>zhangsan</td>')
    expect(before(html, 'id="conclusion"', '<h2>检查范围</h2>')).to.equal(true)
    expect(before(html, '<h2>检查范围</h2>', '<table class="results">')).to.equal(true)
    const en = renderHtml(report, 'en')
    expect(en).to.include('Conclusion: <span class="verdict">Not compliant</span>').and.include('<td>Asset number</td><td>GC-ZC-2023-0042</td>')
  })

  it('says 合格 and 无法判定 when they apply, and leaves lines to fill by hand when the asset and people are unknown', async () => {
    const loaded = await loadPolicy()
    const clean = buildReport(compliantFacts('win32'), loaded)
    const unjudged = buildReport(withTable(compliantFacts('win32'), 'antivirus', {error: 'timed out'}), loaded)
    // The default policy leaves a district's networks to configure: those checks cannot be judged yet.
    const verdict = clean.summary.error === 0 ? '合格' : '无法判定'
    expect(renderHtml(clean, 'zh-CN')).to.include(`<span class="verdict">${verdict}</span>`)
    expect(renderHtml(unjudged, 'zh-CN')).to.include('<span class="verdict">无法判定</span>')
    delete clean.people
    expect(renderHtml(clean, 'zh-CN')).to.include('<td>资产编号</td><td><span class="blank"></span></td>').and.include('<td>电脑使用人</td><td><span class="blank"></span></td>')
  })

  it('states the scope: checks applied and their clauses, each unjudged check with why, not-applicable ones in one list', async () => {
    const unjudged = buildReport(withTable(compliantFacts('win32'), 'antivirus', {error: 'timed out'}), await loadPolicy())
    const html = renderHtml(unjudged, 'zh-CN')
    const applied = unjudged.results.filter((r) => r.status !== 'not_applicable')
    expect(html).to.include(`本机适用的检查共 ${applied.length} 项，涉及条款：四(二)-2、`)
    const antivirus = unjudged.results.find((r) => r.id === 'antivirus-active')
    expect(antivirus?.status).to.equal('error')
    expect(html).to.match(new RegExp(`<li>${antivirus?.title.zh}：[^<]*timed out`))
    const na = unjudged.results.filter((r) => r.status === 'not_applicable')
    expect(na.length).to.be.greaterThan(0)
    expect(html).to.include(`不适用的 ${na.length} 项（不计入结论）`)
    for (const r of na) {
      // Listed once, in the scope block: no table row, no status cell for it.
      expect(html.split(r.title.zh).length - 1, r.id).to.equal(1)
      expect(html).not.to.include(`<div class="id">${r.id}</div>`)
    }
    expect(html).not.to.include('class="status not_applicable"')
  })

  it('shows commands in the policy texts as code, never with a literal backtick', async () => {
    const report = await sampleReport()
    report.results = report.results.map((r) => (r.id === 'account-passwords-strong' ? {...r, status: 'fail'} : r))
    for (const lang of ['zh-CN', 'en'] as const) {
      const html = renderHtml(report, lang)
      expect(html).not.to.include('`')
      expect(html).to.include(lang === 'zh-CN' ? '<code>nm-guard account rotate 账号</code>' : '<code>nm-guard account rotate ACCOUNT</code>')
    }
  })

  it('prints page numbers and a running header (unit, host, date) in the page margins, and keeps the signatures with the conclusion', async () => {
    const html = renderHtml(await sampleReport(), 'zh-CN')
    // 第 N 页 / 共 M 页, its words as CSS escapes.
    expect(html).to.match(/@bottom-center\{content:"[^"]*" counter\(page\) "[^"]*" counter\(pages\) "[^"]*";/)
    expect(html).to.match(/@top-center\{content:"[^"]*gc-xmt-01[^"]*2026-11-27"/)
    expect(html).to.match(/<div class="closing" id="closing"><p>结论：不合格（[^<]*<\/p>\s*<div class="signoff"><div>检查人（签字）/)
    expect(html).to.match(/\.closing\{break-inside:avoid/)
  })

  it('escapes every value, in the body and in the CSS of the running header', async () => {
    const report = await sampleReport(0, '<b>"x"</b>')
    report.host.hostname = '</style><script>alert(1)</script>'
    report.people = {custodians: ['<img src=x onerror=alert(1)>'], pc_users: ['a"b']}
    const html = renderHtml(report, 'en')
    expect(html).not.to.match(/<(script|img|b)\b/)
    expect(html.match(/<\/style>/g)).to.have.length(1)
    expect(html).to.include('&lt;b&gt;&quot;x&quot;&lt;/b&gt;').and.include('&lt;img src=x onerror=alert(1)&gt;')
  })
})
