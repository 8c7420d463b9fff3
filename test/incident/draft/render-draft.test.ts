import {runInNewContext} from 'node:vm'

import {expect} from 'chai'

import {remainingText, renderIncidentDraft} from '../../../src/incident/draft/render-draft.js'
import {reportingDeadline} from '../../../src/incident/draft/deadline.js'
import {t} from '../../../src/i18n/messages.js'
import type {DraftInput, EvidenceManifest, Journal} from '../../../src/incident/types.js'

const EVIL = '<script>alert(1)</script>'

function journal(overrides: Partial<Journal> = {}): Journal {
  return {
    evidence_dir: '/var/lib/nm-guard/incident/20261127T080000Z/evidence',
    hostname: 'uos-pc01',
    incident_id: '20261127T080000Z-ab12',
    isolated_at: '2026-11-27T08:00:00.000Z',
    isolation_ms: 400,
    keep_collector: null,
    method: 'nftables',
    phase: 'done',
    platform: 'linux',
    reason: '微博账号发布了未授权内容',
    report_path: null,
    saved: {iptables_save: null, ip6tables_save: null, links: [], nft_ruleset: '', platform: 'linux', routes: []},
    schema: 'nm-guard/incident-journal@1',
    started_at: '2026-11-27T08:00:00.000Z',
    timeline: [
      {at: '2026-11-27T08:00:00.000Z', event: 'incident.timeline.started', params: {hostname: 'uos-pc01'}},
      {at: '2026-11-27T08:00:00.400Z', event: 'incident.timeline.isolated', params: {method: 'nftables', ms: 400}},
    ],
    ...overrides,
  } as Journal
}

const MANIFEST: EvidenceManifest = {
  created_at: '2026-11-27T08:00:02.000Z',
  files: [
    {bytes: 612, path: 'network/connections.txt', sha256: 'a'.repeat(64)},
    {bytes: 90, path: 'users/who.txt', sha256: 'b'.repeat(64)},
  ],
  hostname: 'uos-pc01',
  incident_id: '20261127T080000Z-ab12',
  items: [
    {files: ['network/connections.txt'], ms: 20, name: 'network.connections', status: 'ok'},
    {error: 'resolvectl not found', files: [], ms: 1, name: 'dns.resolvectl', status: 'failed'},
  ],
  schema: 'nm-guard/evidence@1',
  signer: {fingerprint: 'c'.repeat(64), kind: 'local', public_key_pem: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'},
}

function input(overrides: Partial<DraftInput> = {}): DraftInput {
  return {
    accounts: [
      {account: '某市发布', platform: 'weibo'},
      {account: 'shifabu_gov', platform: 'douyin'},
    ],
    custodians: ['张三', '李四'],
    deadlineHours: 1,
    journal: journal(),
    manifest: MANIFEST,
    manifestSha256: 'd'.repeat(64),
    now: new Date('2026-11-27T08:20:00Z'),
    unit: '某市网信办',
    ...overrides,
  }
}

describe('incident report draft', () => {
  let savedTz: string | undefined
  before(() => {
    savedTz = process.env.TZ
    process.env.TZ = 'Asia/Shanghai'
  })
  after(() => {
    if (savedTz === undefined) delete process.env.TZ
    else process.env.TZ = savedTz
  })

  it('holds, in Chinese, the unit, host, custodians, accounts, timeline, cut, evidence hashes and the clock', () => {
    const {html, markdown} = renderIncidentDraft(input())
    for (const text of [html, markdown]) {
      expect(text).to.contain('网络安全事件报告（草稿）')
      expect(text).to.contain('某市网信办')
      expect(text).to.contain('uos-pc01')
      expect(text).to.contain('张三、李四')
      expect(text).to.contain('微博账号发布了未授权内容')
      expect(text).to.contain('某市发布')
      expect(text).to.contain('shifabu')
      expect(text).to.contain(t('zh-CN', 'incident.timeline.isolated', {method: 'nftables', ms: 400}))
      expect(text).to.contain('2026-11-27 16:00:00 UTC+08:00')
      expect(text).to.contain('nftables 表 inet nm')
      expect(text).to.contain('无（完全隔离，仅本机回环）')
      expect(text).to.contain('a'.repeat(64))
      expect(text).to.contain('b'.repeat(64))
      expect(text).to.contain('d'.repeat(64))
      expect(text).to.contain('c'.repeat(64))
      expect(text).to.contain('网信部门和公安机关')
      expect(text).to.contain('2026-11-27 17:00:00 UTC+08:00')
      expect(text).to.contain('剩余 40 分钟')
      expect(text).to.contain('1、2 或 4 小时')
      expect(text).to.contain('dns.resolvectl (resolvectl not found)')
      // Next steps: each managed account by name, and unbinding only on the platforms present.
      expect(text).to.contain('在一台干净的电脑上（不是本机）修改每个管理账号的密码')
      expect(text).to.contain('微博：账号设置')
      expect(text).to.contain('抖音：设置')
      expect(text).to.not.contain('百家号：')
      expect(text).to.not.contain('微信公众平台：')
      expect(text).to.not.match(/incident\.(draft|timeline)\./)
    }
    expect(html).to.match(/<li>微博: 某市发布<\/li><li>抖音: shifabu_gov<\/li>/)
    expect(markdown).to.contain('   - 抖音: shifabu\\_gov')
    expect(markdown).to.contain('inet nm\\_guard')
    expect(html).to.contain('inet nm_guard')
    expect(html).to.contain('data-deadline="2026-11-27T09:00:00.000Z"')
    expect(html).to.match(/^<!DOCTYPE html>/)
    expect(html).to.contain('@media print')
    expect(html).to.not.match(/<(link|img|iframe)\b|src=|href=/)
  })

  it('says how long overdue the report is, in both languages', () => {
    const late = input({now: new Date('2026-11-27T09:30:00Z')})
    expect(renderIncidentDraft(late).html).to.contain('已超时 30 分钟')
    expect(renderIncidentDraft(late, 'en').markdown).to.contain('Overdue by 30 minutes')
    const fourHours = input({deadlineHours: 4, now: new Date('2026-11-27T08:30:00Z')})
    expect(renderIncidentDraft(fourHours).html).to.contain('剩余 3 小时 30 分钟')
    expect(renderIncidentDraft(fourHours).html).to.contain('本草稿自断网起按 4 小时计算')
    expect(remainingText(reportingDeadline(new Date(0), 1, new Date(60_000)), 'en')).to.equal('59 minutes left')
  })

  it('is in English when asked, from the same keys', () => {
    const {html, markdown} = renderIncidentDraft(input(), 'en')
    expect(html).to.contain('<html lang="en">')
    expect(markdown).to.contain('# Cybersecurity incident report (draft)')
    expect(markdown).to.contain('40 minutes left')
    expect(markdown).to.contain('public security (公安)')
    expect(html).to.not.contain('网络安全事件报告（草稿）')
  })

  it('escapes every value in HTML and Markdown', () => {
    const evil = input({
      accounts: [{account: `x|y${EVIL}`, platform: `p${EVIL}`}],
      custodians: [EVIL],
      journal: journal({evidence_dir: `/tmp/${EVIL}`, hostname: `pc${EVIL}`, reason: `r${EVIL}`}),
      unit: `u${EVIL}`,
    })
    const {html, markdown} = renderIncidentDraft(evil)
    // Only the draft's own countdown script: nothing from the PC became markup.
    expect(html.match(/<script>/g)).to.have.length(1)
    expect(html).to.not.contain('alert(1)</script>')
    expect(html).to.contain('pc&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).to.contain('x|y&lt;script&gt;')
    expect(markdown).to.not.contain('<script>')
    expect(markdown).to.contain('x\\|y&lt;script&gt;')
    expect(markdown).to.contain('pc&lt;script&gt;alert(1)&lt;/script&gt;')
    // A table row stays one row: the pipe in the account name is escaped.
    const row = markdown.split('\n').find((line) => line.includes('x\\|y'))
    expect(row?.replaceAll('\\|', '').match(/\|/g)).to.have.length(3)
  })

  it('lists all five platforms to unbind when no account is managed, and says when evidence is missing', () => {
    const {html} = renderIncidentDraft(input({accounts: [], custodians: [], manifest: null, manifestSha256: null, unit: null}))
    for (const name of ['微信公众平台：', '微博：', '抖音：', '今日头条：', '百家号：']) expect(html).to.contain(name)
    expect(html).to.contain('本机未登记管理的账号。')
    expect(html).to.contain('未找到已签名的证据清单')
    expect(html).to.contain('（未填写）')
  })

  it('hashes the manifest itself when the caller did not pass its hash', async () => {
    const {createHash} = await import('node:crypto')
    const expected = createHash('sha256').update(`${JSON.stringify(MANIFEST, null, 2)}\n`).digest('hex')
    expect(renderIncidentDraft(input({manifestSha256: undefined})).markdown).to.contain(expected)
  })

  it('shows an isolation that did not take effect and a kept collector', () => {
    const keep = {addresses: ['10.20.0.5'], host: 'collector.example', port: 8443, url: 'https://collector.example:8443'}
    const {html} = renderIncidentDraft(input({journal: journal({isolated_at: null, keep_collector: keep, method: null})}))
    expect(html).to.contain('断网未生效')
    expect(html).to.contain('仅 nm-guard 收集服务器 https://collector.example:8443（端口 8443，地址 10.20.0.5）')
    // The clock then runs from the start of the response.
    expect(html).to.contain('data-deadline="2026-11-27T09:00:00.000Z"')
  })

  it('updates the clock in the page from the deadline attribute (script run against a stub element)', () => {
    const {html} = renderIncidentDraft(input())
    const script = html.match(/<script>([\s\S]*?)<\/script>/)?.[1] as string
    const attributes = Object.fromEntries([...html.matchAll(/ (data-[\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    const element = {getAttribute: (name: string) => attributes[name] ?? null, textContent: ''}
    const run = (now: string) => {
      const FakeDate = {now: () => Date.parse(now), parse: Date.parse}
      runInNewContext(script, {Date: FakeDate, Math, String, document: {getElementById: () => element}, setInterval: () => 0})
      return element.textContent
    }
    expect(run('2026-11-27T08:20:00Z')).to.equal('剩余 40 分钟')
    expect(run('2026-11-27T08:59:30Z')).to.equal('剩余 1 分钟')
    expect(run('2026-11-27T09:30:00Z')).to.equal('已超时 30 分钟')
    const hours = renderIncidentDraft(input({deadlineHours: 4})).html
    const hoursAttributes = Object.fromEntries([...hours.matchAll(/ (data-[\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    Object.assign(attributes, hoursAttributes)
    expect(run('2026-11-27T08:30:00Z')).to.equal('剩余 3 小时 30 分钟')
  })
})
