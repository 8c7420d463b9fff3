// The incident report draft for 网信 and 公安: one neutral outline of sections, rendered as a
// self-contained printable HTML page and as Markdown. All text comes from messages/*.json
// (`incident.draft.*`); every value from the PC is escaped where it lands.
import {createHash} from 'node:crypto'

import type {Lang} from '../../i18n/lang.js'
import {hasMessage, type MessageKey, type Params, t} from '../../i18n/messages.js'
import {manifestBytes} from '../evidence/manifest.js'
import type {DraftInput, IsolationMethod} from '../types.js'
import {clockStart, type DeadlineStatus, reportingDeadline, STRICTEST_DEADLINE_HOURS} from './deadline.js'
import {escapeHtml, escapeMarkdown} from './escape.js'
import {formatLocalTime} from './local-time.js'

type Tr = (key: MessageKey, params?: Params) => string

interface ListItem {
  text: string
  sub?: string[]
}

type Block =
  | {kind: 'countdown'; deadline: string; overdue: string; remaining: string; remainingHours: string; text: string}
  | {kind: 'fields'; rows: [string, string][]}
  | {kind: 'list'; items: ListItem[]}
  | {kind: 'para'; text: string}
  | {kind: 'table'; head: string[]; rows: string[][]}

interface Section {
  title: string
  blocks: Block[]
}

/** Platforms with their own unbinding line; any other platform gets the generic one. */
const UNBIND_PLATFORMS = ['wechat', 'weibo', 'douyin', 'toutiao', 'baijiahao'] as const

function platformName(tr: Tr, platform: string): string {
  const names: Record<string, () => string> = {
    baijiahao: () => tr('incident.draft.platformName.baijiahao'),
    channels: () => tr('incident.draft.platformName.channels'),
    douyin: () => tr('incident.draft.platformName.douyin'),
    kuaishou: () => tr('incident.draft.platformName.kuaishou'),
    other: () => tr('incident.draft.platformName.other'),
    toutiao: () => tr('incident.draft.platformName.toutiao'),
    wechat: () => tr('incident.draft.platformName.wechat'),
    weibo: () => tr('incident.draft.platformName.weibo'),
    xiaohongshu: () => tr('incident.draft.platformName.xiaohongshu'),
  }
  return names[platform]?.() ?? platform
}

function unbindLine(tr: Tr, platform: string): string {
  const lines: Record<string, () => string> = {
    baijiahao: () => tr('incident.draft.unbind.baijiahao'),
    douyin: () => tr('incident.draft.unbind.douyin'),
    toutiao: () => tr('incident.draft.unbind.toutiao'),
    wechat: () => tr('incident.draft.unbind.wechat'),
    weibo: () => tr('incident.draft.unbind.weibo'),
  }
  return lines[platform]?.() ?? tr('incident.draft.unbind.other', {platform: platformName(tr, platform)})
}

function methodText(tr: Tr, method: IsolationMethod | null): string {
  const methods: Record<IsolationMethod, () => string> = {
    'adapters-disabled': () => tr('incident.draft.method.adaptersDisabled'),
    iptables: () => tr('incident.draft.method.iptables'),
    'link-down': () => tr('incident.draft.method.linkDown'),
    nftables: () => tr('incident.draft.method.nftables'),
    pf: () => tr('incident.draft.method.pf'),
    'windows-firewall': () => tr('incident.draft.method.windowsFirewall'),
  }
  return method ? methods[method]() : tr('incident.draft.isolation.notIsolated')
}

/** "剩余 40 分钟" / "剩余 1 小时 20 分钟" / "已超时 30 分钟". */
export function remainingText(status: DeadlineStatus, lang: Lang = 'zh-CN'): string {
  if (status.overdue) return t(lang, 'incident.draft.duty.overdue', {minutes: status.minutes})
  if (status.minutes >= 60) return t(lang, 'incident.draft.duty.remainingHours', {hours: Math.floor(status.minutes / 60), minutes: status.minutes % 60})
  return t(lang, 'incident.draft.duty.remaining', {minutes: status.minutes})
}

/** The hash of manifest.json as written: given by the caller, else of its canonical form (what collectEvidence writes). */
const manifestHash = (input: DraftInput): null | string =>
  input.manifestSha256 ?? (input.manifest ? createHash('sha256').update(manifestBytes(input.manifest)).digest('hex') : null)

function outline(input: DraftInput, lang: Lang): {sections: Section[]; title: string} {
  const tr: Tr = (key, params) => t(lang, key, params)
  const {journal} = input
  const notGiven = tr('incident.draft.notGiven')
  const status = reportingDeadline(clockStart(journal), input.deadlineHours, input.now)
  const deadlineText = formatLocalTime(status.deadline)
  const platforms = [...new Set(input.accounts.map((a) => a.platform))]

  const basic: Section = {
    blocks: [
      {
        kind: 'fields',
        rows: [
          [tr('incident.draft.unit'), input.unit?.trim() || notGiven],
          [tr('incident.draft.host'), journal.hostname],
          [tr('incident.draft.platform'), journal.platform],
          [tr('incident.draft.incidentId'), journal.incident_id],
          [tr('incident.draft.custodians'), input.custodians.length > 0 ? input.custodians.join(tr('incident.draft.listSeparator')) : notGiven],
          [tr('incident.draft.reason'), journal.reason?.trim() || notGiven],
          [tr('incident.draft.startedAt'), formatLocalTime(new Date(journal.started_at))],
        ],
      },
    ],
    title: tr('incident.draft.section.basic'),
  }

  const accounts: Section = {
    blocks:
      input.accounts.length > 0
        ? [{head: [tr('incident.draft.accounts.platform'), tr('incident.draft.accounts.account')], kind: 'table', rows: input.accounts.map((a) => [platformName(tr, a.platform), a.account])}]
        : [{kind: 'para', text: tr('incident.draft.accounts.none')}],
    title: tr('incident.draft.section.accounts'),
  }

  const timeline: Section = {
    blocks: [
      {
        head: [tr('incident.draft.timeline.time'), tr('incident.draft.timeline.event')],
        kind: 'table',
        rows: journal.timeline.map((entry) => [formatLocalTime(new Date(entry.at)), hasMessage(entry.event) ? tr(entry.event, entry.params ?? {}) : entry.event]),
      },
    ],
    title: tr('incident.draft.section.timeline'),
  }

  const keep = journal.keep_collector
  const isolation: Section = {
    blocks: [
      {
        kind: 'fields',
        rows: [
          [tr('incident.draft.isolation.method'), methodText(tr, journal.method)],
          [tr('incident.draft.isolation.isolatedAt'), journal.isolated_at ? formatLocalTime(new Date(journal.isolated_at)) : tr('incident.draft.isolation.notIsolated')],
          [
            tr('incident.draft.isolation.kept'),
            keep ? tr('incident.draft.keepCollector', {addresses: keep.addresses.join(', '), port: keep.port, url: keep.url}) : tr('incident.draft.keepNone'),
          ],
        ],
      },
    ],
    title: tr('incident.draft.section.isolation'),
  }

  const evidenceFields: [string, string][] = [[tr('incident.draft.evidence.folder'), journal.evidence_dir]]
  const evidenceBlocks: Block[] = [{kind: 'fields', rows: evidenceFields}]
  const {manifest} = input
  if (manifest) {
    const failed = manifest.items.filter((item) => item.status === 'failed')
    evidenceFields.push(
      [tr('incident.draft.evidence.manifestHash'), manifestHash(input) ?? ''],
      [
        tr('incident.draft.evidence.signer'),
        `${manifest.signer.kind === 'agent' ? tr('incident.draft.evidence.signerAgent') : tr('incident.draft.evidence.signerLocal')} ${manifest.signer.fingerprint}`,
      ],
      [tr('incident.draft.evidence.collectedAt'), formatLocalTime(new Date(manifest.created_at))],
    )
    evidenceBlocks.push({
      head: [tr('incident.draft.evidence.file'), 'SHA-256', tr('incident.draft.evidence.bytes')],
      kind: 'table',
      rows: manifest.files.map((f) => [f.path, f.sha256, String(f.bytes)]),
    })
    if (failed.length > 0) {
      evidenceBlocks.push({kind: 'para', text: tr('incident.draft.evidence.failedItems', {items: failed.map((i) => `${i.name} (${i.error ?? ''})`).join('; ')})})
    }
    evidenceBlocks.push({kind: 'para', text: tr('incident.draft.evidence.verify', {dir: journal.evidence_dir})})
  } else {
    evidenceBlocks.push({kind: 'para', text: tr('incident.draft.evidence.none')})
  }
  const evidence: Section = {blocks: evidenceBlocks, title: tr('incident.draft.section.evidence')}

  const duty: Section = {
    blocks: [
      {kind: 'para', text: tr('incident.draft.duty.text', {deadline: deadlineText})},
      {
        deadline: status.deadline.toISOString(),
        kind: 'countdown',
        overdue: tr('incident.draft.duty.overdue'),
        remaining: tr('incident.draft.duty.remaining'),
        remainingHours: tr('incident.draft.duty.remainingHours'),
        text: `${remainingText(status, lang)} ${tr('incident.draft.duty.asOf', {time: formatLocalTime(input.now)})}`,
      },
      {kind: 'para', text: tr('incident.draft.duty.law', {hours: input.deadlineHours, strictest: STRICTEST_DEADLINE_HOURS})},
    ],
    title: tr('incident.draft.section.duty'),
  }

  const unbindPlatforms = platforms.length > 0 ? platforms : [...UNBIND_PLATFORMS]
  const next: Section = {
    blocks: [
      {
        items: [
          {text: tr('incident.draft.next.noPowerOff')},
          {text: tr('incident.draft.next.preserve')},
          input.accounts.length > 0
            ? {sub: input.accounts.map((a) => `${platformName(tr, a.platform)}: ${a.account}`), text: tr('incident.draft.next.passwords')}
            : {text: tr('incident.draft.next.passwordsNone')},
          {sub: unbindPlatforms.map((p) => unbindLine(tr, p)), text: tr('incident.draft.next.unbind')},
          {text: tr('incident.draft.next.content')},
          {text: tr('incident.draft.next.report')},
          {text: tr('incident.draft.next.reconnect')},
        ],
        kind: 'list',
      },
    ],
    title: tr('incident.draft.section.nextSteps'),
  }

  return {sections: [basic, accounts, timeline, isolation, evidence, duty, next], title: tr('incident.draft.title')}
}

// The countdown only reads the deadline and the message templates from data attributes and writes
// with textContent: it holds no value of its own, and the static text is right without it.
const COUNTDOWN_SCRIPT =
  "(function(){var e=document.getElementById('nmg-countdown');if(!e)return;var d=Date.parse(e.getAttribute('data-deadline'));" +
  'function f(s,o){return String(s).replace(/\\{(\\w+)\\}/g,function(m,k){return k in o?String(o[k]):m})}' +
  "function u(){var r=d-Date.now(),m;if(r<0){e.textContent=f(e.getAttribute('data-overdue'),{minutes:Math.floor(-r/60000)});return}" +
  "m=Math.ceil(r/60000);e.textContent=m>=60?f(e.getAttribute('data-remaining-hours'),{hours:Math.floor(m/60),minutes:m%60}):f(e.getAttribute('data-remaining'),{minutes:m})}" +
  'u();setInterval(u,15000)})();'

const STYLE = `body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111;line-height:1.5}
h1{font-size:1.6em;border-bottom:2px solid #333}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top;word-break:break-all}
th{background:#eee}.notice{color:#555}.countdown{font-weight:bold;font-size:1.1em;color:#b00}
@media print{body{margin:0;max-width:none}.countdown{color:#000}h2{page-break-after:avoid}tr{page-break-inside:avoid}}`

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'countdown': {
      return `<p class="countdown" id="nmg-countdown" data-deadline="${escapeHtml(block.deadline)}" data-remaining="${escapeHtml(block.remaining)}" data-remaining-hours="${escapeHtml(block.remainingHours)}" data-overdue="${escapeHtml(block.overdue)}">${escapeHtml(block.text)}</p>`
    }

    case 'fields': {
      return `<table>${block.rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`
    }

    case 'list': {
      const item = (i: ListItem): string => `<li>${escapeHtml(i.text)}${i.sub ? `<ul>${i.sub.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : ''}</li>`
      return `<ol>${block.items.map((i) => item(i)).join('')}</ol>`
    }

    case 'para': {
      return `<p>${escapeHtml(block.text)}</p>`
    }

    case 'table': {
      const head = `<tr>${block.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`
      return `<table><thead>${head}</thead><tbody>${block.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    }
  }
}

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => escapeMarkdown(c)).join(' | ')} |`
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => line(r))].join('\n')
}

function markdownBlock(block: Block, lang: Lang): string {
  switch (block.kind) {
    case 'countdown': {
      return `**${escapeMarkdown(block.text)}**`
    }

    case 'fields': {
      return markdownTable([t(lang, 'incident.draft.field'), t(lang, 'incident.draft.value')], block.rows)
    }

    case 'list': {
      return block.items.map((i, n) => [`${n + 1}. ${escapeMarkdown(i.text)}`, ...(i.sub ?? []).map((s) => `   - ${escapeMarkdown(s)}`)].join('\n')).join('\n')
    }

    case 'para': {
      return escapeMarkdown(block.text)
    }

    case 'table': {
      return markdownTable(block.head, block.rows)
    }
  }
}

export function renderIncidentDraft(input: DraftInput, lang: Lang = 'zh-CN'): {html: string; markdown: string} {
  const {sections, title} = outline(input, lang)
  const notice = t(lang, 'incident.draft.notice', {time: formatLocalTime(input.now)})
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${title} — ${input.journal.hostname}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="notice">${escapeHtml(notice)}</p>`,
    ...sections.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map((b) => htmlBlock(b)).join('\n')}</section>`),
    `<script>${COUNTDOWN_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
  const markdown = [
    `# ${escapeMarkdown(title)}`,
    '',
    `_${escapeMarkdown(notice)}_`,
    ...sections.flatMap((s) => ['', `## ${escapeMarkdown(s.title)}`, ...s.blocks.flatMap((b) => ['', markdownBlock(b, lang)])]),
    '',
  ].join('\n')
  return {html, markdown}
}
