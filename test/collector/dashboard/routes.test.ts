import {randomUUID} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'
import {type BrowserContext, chromium, type Page} from 'playwright-core'

import {DEFAULT_AUTH_LIMITS} from '../../../src/collector/auth-limiter.js'
import {newToken, sha256Hex} from '../../../src/collector/collector-dir.js'
import {API} from '../../../src/collector/protocol.js'
import type {RunningCollector} from '../../../src/collector/server.js'
import {reportView} from '../../../src/collector/report-view.js'
import type {CollectorStore} from '../../../src/collector/store/types.js'
import {browserRequest, type BrowserReply} from '../../helpers/collector-client.js'
import {startTestCollector} from '../../helpers/collector-instance.js'
import {type CertifiedAgent, enrollOverApi, insertEnrollToken, sampleNotice, sampleReport} from '../../helpers/enrolled-agent.js'
import {requirePart} from '../../helpers/require-part.js'

const HOSTILE = '<img src=x onerror=alert(1)>'
const DAY = 86_400_000

function result(id: string, clause: string, status: string) {
  return {id, status, severity: 'high', title: {zh: id, en: id}, clause: {id: clause, text: `条款 ${clause} 的要求`}}
}

/** Raw HTTPS to the collector (for what a browser would never send: a POST without the CSRF field). */
const post = (port: number, path: string, body: string, cookie: string) => browserRequest(port, path, {body, cookie, method: 'POST'})

describe('collector dashboard in Chromium (real TLS on 127.0.0.1)', function () {
  this.timeout(120_000)
  let store: CollectorStore
  let running: RunningCollector
  let context: BrowserContext
  let page: Page
  let adminToken: string
  let base: string
  const dialogs: string[] = []
  const ids = {ok: '', weak: '', hostile: '', stale: ''}

  before(async function () {
    requirePart(this, existsSync('/usr/bin/chromium'), 'chromium (package chromium)')
    ;({adminToken, running, store} = await startTestCollector('nmg-dash-'))
    const enrollToken = newToken('nmg_enroll')
    const now = Date.now()
    await store.insertToken({hash: sha256Hex(enrollToken), expires_at: new Date(now + DAY).toISOString(), uses_left: 10})
    const seed = async (key: keyof typeof ids, hostname: string, reports: Array<{daysAgo: number; results: ReturnType<typeof result>[]}>) => {
      const agentId = randomUUID()
      ids[key] = agentId
      const at = new Date(now - 30 * DAY).toISOString()
      expect(await store.enrollAgent(sha256Hex(enrollToken), new Date(now).toISOString(), {agent_id: agentId, hostname, cert_fingerprint: 'f'.repeat(64), cert_serial: '01', enrolled_at: at, revoked_at: null, last_seen: null})).to.equal(true)
      for (const r of reports) {
        const when = new Date(now - r.daysAgo * DAY).toISOString()
        // As ingest stores it: the view derived from the results.
        const {failing, failingClauses, score} = reportView(r.results)
        await store.insertReport({report_id: randomUUID(), agent_id: agentId, generated_at: when, received_at: when, score, failing, body: {results: r.results}, failing_clauses: failingClauses})
      }
    }
    await seed('ok', 'gc-pc-01', [{daysAgo: 1, results: [result('screen-lock', '四(二)-7', 'pass'), result('weak-password', '四(二)-2', 'pass')]}])
    await seed('weak', 'gc-pc-02', [
      {daysAgo: 5, results: [result('screen-lock', '四(二)-7', 'pass'), result('weak-password', '四(二)-2', 'pass')]},
      {daysAgo: 1, results: [result('screen-lock', '四(二)-7', 'fail'), result('weak-password', '四(二)-2', 'pass')]},
    ])
    await seed('hostile', HOSTILE, [{daysAgo: 0, results: [result('screen-lock', '四(二)-7', 'fail'), result('weak-password', '四(二)-2', 'fail')]}])
    await seed('stale', 'gc-pc-old', [{daysAgo: 10, results: [result('screen-lock', '四(二)-7', 'pass'), result('weak-password', '四(二)-2', 'fail')]}])
    base = `https://127.0.0.1:${running.port}`
    // A fresh profile each run: nothing (cookies, HSTS, cache) leaks between runs.
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'nmg-dash-chromium-')), {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ignoreHTTPSErrors: true,
      acceptDownloads: true,
      viewport: {width: 1280, height: 720},
    })
    page = await context.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  })

  after(async () => {
    await context?.close()
    await running?.close()
    await store?.close()
  })

  it('sends a stranger to the login page, in Chinese, with strict security headers', async () => {
    const response = await page.goto(`${base}/dashboard`)
    expect(page.url()).to.equal(`${base}/dashboard/login`)
    expect(await page.locator('h2').textContent()).to.equal('管理员登录')
    const headers = response?.headers() ?? {}
    expect(headers['content-security-policy']).to.include("default-src 'none'").and.include("frame-ancestors 'none'").and.include("form-action 'self'")
    expect(headers['x-content-type-options']).to.equal('nosniff')
  })

  it('refuses a wrong token', async () => {
    await page.fill('input[name=token]', 'nmg_admin_wrong')
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/dashboard/login') && r.request().method() === 'POST'), page.click('button[type=submit]')])
    expect(response.status()).to.equal(401)
    expect(await page.locator('.error').textContent()).to.equal('管理员令牌错误。')
    expect((await page.context().cookies()).map((c) => c.name)).to.not.include('__Host-nmg_session')
  })

  it('logs in with the admin token; the session cookie is HttpOnly, Secure, SameSite=Strict, Path=/', async () => {
    await page.fill('input[name=token]', adminToken)
    await Promise.all([page.waitForURL(`${base}/dashboard`), page.click('button[type=submit]')])
    const session = (await page.context().cookies()).find((c) => c.name === '__Host-nmg_session')
    expect(session).to.include({httpOnly: true, secure: true, sameSite: 'Strict', path: '/'})
    expect(session?.value).to.match(/^[\w-]{43}$/)
  })

  it('shows the seeded agents, the stale one in red, the hostile hostname as plain text', async () => {
    const hosts = await page.locator('a.host').allTextContents()
    expect(hosts.sort()).to.deep.equal([HOSTILE, 'gc-pc-01', 'gc-pc-02', 'gc-pc-old'].sort())
    expect(await page.locator('tr.stale a.host').allTextContents()).to.deep.equal(['gc-pc-old'])
    expect(await page.locator('tr.stale td').first().evaluate((el) => (globalThis as unknown as {getComputedStyle(e: unknown): {color: string}}).getComputedStyle(el).color)).to.equal('rgb(185, 28, 28)')
    expect(await page.getByText(HOSTILE, {exact: true}).isVisible()).to.equal(true)
    expect(await page.locator('main img').count()).to.equal(0)
    expect(dialogs).to.deep.equal([])
    await page.screenshot({path: '/tmp/dashboard.png', fullPage: true})
  })

  it('filters by a failing clause: only the PCs whose latest report fails 四(二)-7', async () => {
    await page.goto(`${base}/dashboard/clauses`)
    const row = page.locator('tr', {has: page.locator('a.clause', {hasText: '四(二)-7'})})
    expect(await row.locator('td.num').textContent()).to.equal('2')
    await Promise.all([page.waitForURL(/clause=/), row.locator('a.clause').click()])
    expect((await page.locator('a.host').allTextContents()).sort()).to.deep.equal([HOSTILE, 'gc-pc-02'].sort())
    expect(dialogs).to.deep.equal([])
  })

  it("shows an agent's history and switches to English, remembering the choice", async () => {
    await page.goto(`${base}/dashboard/agents/${ids.weak}?lang=en`)
    expect(await page.locator('h2').textContent()).to.equal('Report history of gc-pc-02')
    expect(await page.locator('tbody tr').count()).to.equal(2)
    await page.goto(`${base}/dashboard`)
    expect(await page.locator('h2').textContent()).to.equal('Fleet overview')
    await page.goto(`${base}/dashboard?lang=zh-CN`)
  })

  it('downloads the monthly assessment CSV, one row per report', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/dashboard/export.csv"]')])
    const lines = readFileSync(await download.path(), 'utf8').trim().split('\r\n')
    expect(lines[0]).to.equal('report_id,agent_id,hostname,generated_at,score,failing')
    expect(lines).to.have.length(6)
    const hostile = lines.filter((l) => l.includes(ids.hostile))
    expect(hostile).to.have.length(1)
    expect(hostile[0]).to.include(`,${HOSTILE},`).and.match(/,0,screen-lock;weak-password$/)
  })

  it('refuses a POST without the CSRF token (403), even with a valid session', async () => {
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    expect((await post(running.port, '/dashboard/logout', '', cookies)).status).to.equal(403)
    expect((await post(running.port, '/dashboard/logout', 'csrf=forged', cookies)).status).to.equal(403)
    expect((await post(running.port, '/dashboard/login', `token=${encodeURIComponent(adminToken)}`, '')).status).to.equal(403)
    // Still logged in: the refused logout did nothing.
    await page.goto(`${base}/dashboard`)
    expect(page.url()).to.equal(`${base}/dashboard`)
  })

  it('logs out through the form, and the session is dead afterwards', async () => {
    const before = (await page.context().cookies()).find((c) => c.name === '__Host-nmg_session')?.value ?? ''
    await Promise.all([page.waitForURL(`${base}/dashboard/login`), page.click('nav button[type=submit]')])
    expect((await post(running.port, '/dashboard/logout', 'csrf=x', `__Host-nmg_session=${before}`)).status).to.equal(403)
    await page.goto(`${base}/dashboard`)
    expect(page.url()).to.equal(`${base}/dashboard/login`)
    expect(dialogs).to.deep.equal([])
  })
})

describe('collector dashboard over HTTPS (login limits, incidents, clause summaries)', function () {
  this.timeout(60_000)
  let store: CollectorStore
  let running: RunningCollector
  let adminToken: string
  let agent: CertifiedAgent
  let clock = Date.parse('2026-01-10T12:00:00.000Z')

  /** A login attempt from a fresh browser (its own cookies): the login page for the CSRF token, then the POST. */
  async function login(token: string, lang = 'zh-CN'): Promise<BrowserReply & {cookies: Map<string, string>}> {
    const cookies = new Map<string, string>()
    const form = await browserRequest(running.port, `/dashboard/login?lang=${lang}`, {jar: cookies})
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? ''
    const answer = await browserRequest(running.port, '/dashboard/login', {body: `csrf=${encodeURIComponent(csrf)}&token=${encodeURIComponent(token)}`, jar: cookies})
    return {...answer, cookies}
  }

  before(async () => {
    const instance = await startTestCollector('nmg-dash-http-', {authLimits: DEFAULT_AUTH_LIMITS, now: () => new Date(clock)})
    ;({adminToken, running, store} = instance)
    const {call} = instance
    agent = await enrollOverApi(call, await insertEnrollToken(store, 1), 'gc-pc-iso')
    expect((await call(API.reports, {body: sampleReport(agent.agentId, '2026-01-10T08:00:00.000Z'), client: agent})).status).to.equal(201)
    const notice = sampleNotice(agent.agentId, {at: '2026-01-10T09:00:00.000Z', reason: '<script>alert(1)</script>'})
    expect((await call(API.incidents, {body: notice, client: agent})).status).to.equal(201)
  })

  after(async () => {
    await running?.close()
    await store?.close()
  })

  it('refuses a sixth failed login in a minute with 429, Retry-After and a message in the page language', async () => {
    for (let i = 0; i < 5; i++) expect((await login('nmg_admin_wrong')).status).to.equal(401)
    const limited = await login('nmg_admin_wrong')
    expect(limited.status).to.equal(429)
    expect(limited.headers['retry-after']).to.equal('60')
    expect(limited.text).to.include('此地址登录失败次数过多，请在 60 秒后重试。')
    clock += 20_000
    const english = await login('nmg_admin_wrong', 'en')
    expect([english.status, english.headers['retry-after']]).to.deep.equal([429, '40'])
    expect(english.text).to.include('Too many failed logins from this address. Try again in 40 seconds.')
    // While limited even the right token is not checked: a guess learns nothing.
    const right = await login(adminToken)
    expect(right.status).to.equal(429)
    expect(right.cookies.has('__Host-nmg_session')).to.equal(false)
    // Once the window has passed, the right token works.
    clock += 41_000
    expect((await login(adminToken)).status).to.equal(303)
  })

  it('never counts successful logins', async () => {
    for (let i = 0; i < 4; i++) expect((await login('nmg_admin_wrong')).status).to.equal(401)
    for (let i = 0; i < 8; i++) expect((await login(adminToken)).status).to.equal(303)
    expect((await login('nmg_admin_wrong')).status).to.equal(401)
    expect((await login('nmg_admin_wrong')).status).to.equal(429)
    clock += 60_000
  })

  it('marks the isolated PC in the overview and lists its incident events on its page, escaped', async () => {
    const {cookies, headers} = await login(adminToken)
    expect(headers.location).to.equal('/dashboard')
    const overview = await browserRequest(running.port, '/dashboard', {jar: cookies})
    expect(overview.status).to.equal(200)
    expect(overview.text).to.include('<tr class="isolated">').and.include('<div class="isolated">已断网隔离</div>')
    expect(overview.text).to.include('自 2026-01-10 09:00:00 UTC 起断网')
    // The failing clause came from the report through the agent row, not from reading bodies.
    expect(overview.text).to.include('<a class="clause" href="/dashboard?clause=%E5%9B%9B(%E4%BA%8C)-7">四(二)-7</a>')
    const english = await browserRequest(running.port, '/dashboard?lang=en', {jar: cookies})
    expect(english.text).to.include('<div class="isolated">Isolated</div>')
    const page = await browserRequest(running.port, `/dashboard/agents/${agent.agentId}`, {jar: cookies})
    expect(page.text).to.include('Incident notices').and.include('Isolated (cut off the network)').and.include('nftables')
    expect(page.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>')
    expect(page.text).to.include('d'.repeat(64))
  })

  it("summarises clauses with the collector's policy texts, not the ones the reports carried", async () => {
    const {cookies} = await login(adminToken)
    const clauses = await browserRequest(running.port, '/dashboard/clauses?lang=zh-CN', {jar: cookies})
    expect(clauses.text).to.match(/四\(二\)-7<\/a> <\/td><td>严禁安装与工作无关的软件<\/td><td class="num">1<\/td>/)
    expect(clauses.text).to.match(/四\(二\)-5<\/a> <\/td><td>防止账号被盗用或被恶意攻击等安全事件发生<\/td><td class="num">0<\/td>/)
    expect(clauses.text).not.to.include('设置屏幕锁定')
  })
})
