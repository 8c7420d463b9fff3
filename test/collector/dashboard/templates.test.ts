import {expect} from 'chai'

import {fleetPage, html, loginPage, type PageContext, SafeHtml} from '../../../src/collector/dashboard/templates.js'

const ctx = (lang: 'en' | 'zh-CN' = 'zh-CN', csrf?: string): PageContext => ({lang, path: '/dashboard', query: new URLSearchParams(), csrf})
const hostile = '<img src=x onerror=alert(1)>"\'&'

const row = {agent_id: 'a1"><script>', hostname: hostile, last_report_at: null, last_seen: null, score: 0.5, failing: ['<b>'], stale: true, revoked: false, isolated: false, isolated_since: null, failingClauses: ['四(二)-7', '"><x>']}

describe('dashboard templates', () => {
  it('escapes every interpolated value but keeps SafeHtml', () => {
    expect(html`<p>${hostile}</p>`.value).to.equal('<p>&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;</p>')
    expect(html`<p title="${'"x"'}">${new SafeHtml('<b>ok</b>')}${['<i>', 2]}${null}</p>`.value).to.equal('<p title="&quot;x&quot;"><b>ok</b>&lt;i&gt;2</p>')
  })

  it('renders a hostile hostname, agent id, check id and clause as text', () => {
    const page = fleetPage(ctx('en', 'tok"en'), [row], '"><svg onload=1>', 3)
    expect(page).to.not.include('<img')
    expect(page).to.not.include('<script')
    expect(page).to.not.include('<svg')
    expect(page).to.not.include('<x>')
    expect(page).to.not.include('<b>')
    expect(page).to.include('&lt;img src=x onerror=alert(1)&gt;')
    expect(page).to.include('value="tok&quot;en"')
    expect(page).to.include('class="stale"')
    // The clause link's query is URL-encoded, then escaped.
    expect(page).to.include('href="/dashboard?clause=%E5%9B%9B(%E4%BA%8C)-7"')
  })

  it('speaks Chinese by default and English on request, with a toggle keeping the query', () => {
    const zh = loginPage({...ctx(), query: new URLSearchParams({clause: 'a&b'})}, 'c')
    expect(zh).to.include('<html lang="zh-CN">')
    expect(zh).to.include('管理员登录')
    expect(zh).to.include('href="/dashboard?clause=a%26b&amp;lang=en"')
    expect(loginPage(ctx('en'), 'c', 'Wrong <token>')).to.include('Wrong &lt;token&gt;')
  })
})
