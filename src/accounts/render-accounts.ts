// Text output of the account commands, in the user's language. Never given a secret.
import type {Lang} from '../i18n/lang.js'
import {formatLocalTime, type ZoneOption} from '../i18n/local-time.js'
import {t} from '../i18n/messages.js'
import type {WeakReason} from '../password/types.js'
import type {AccountView, CheckedAccount} from './account-service.js'

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1
  return width
}

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)))

export function renderColumns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? '')))) ?? []
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ').trimEnd()).join('\n')
}

export const statusText = (view: AccountView, lang: Lang): string =>
  view.problems.length === 0 ? t(lang, 'account.status.ok') : view.problems.map((p) => t(lang, `account.status.${p}`)).join(', ')

/** Times in the PC's zone, named (`zone`: tests); JSON keeps them ISO UTC. */
export function renderList(views: readonly AccountView[], lang: Lang, zone: ZoneOption = {}): string {
  if (views.length === 0) return t(lang, 'account.listEmpty')
  const head = (['platform', 'account', 'custodian', 'strength', 'age', 'status'] as const).map((c) => t(lang, `account.col.${c}`))
  const rows = views.map((v) => [v.platform, v.account, v.custodian, `${v.strength_score}/4`, t(lang, 'account.days', {days: v.age_days}), statusText(v, lang)])
  // Below the table: custodian/contact changes still to be made in 全国政务新媒体信息报送系统 (二(七)).
  const due = views.filter((v) => v.info_change !== null).map((v) => infoChangeLine(v, lang, zone))
  return [renderColumns([head, ...rows]), ...(due.length > 0 ? ['', ...due] : [])].join('\n')
}

/** A change not yet reported: when, what, and by when the plan (二(七)) wants it reported. */
export function infoChangeLine(view: AccountView, lang: Lang, zone: ZoneOption = {}): string {
  const change = view.info_change
  if (!change) return ''
  return t(lang, 'account.infoChangeDue', {
    account: `${view.platform}/${view.account}`,
    at: formatLocalTime(change.changed_at, zone),
    due: change.report_due,
    fields: change.fields.map((f) => t(lang, `account.field.${f}`)).join(t(lang, 'account.fieldSeparator')),
    name: view.account,
    platform: view.platform,
  })
}

/** One account's metadata, a field a line. */
export function renderAccount(view: AccountView, lang: Lang, zone: ZoneOption = {}): string {
  const fields: Array<['account' | 'contact' | 'custodian' | 'platform' | 'rotated' | 'status' | 'strength', string]> = [
    ['platform', view.platform],
    ['account', view.account],
    ['custodian', view.custodian],
    ['contact', view.contact ?? '—'],
    ['strength', `${view.strength_score}/4`],
    ['rotated', `${formatLocalTime(view.rotated_at, zone)}, ${t(lang, 'account.days', {days: view.age_days})}`],
    ['status', statusText(view, lang)],
  ]
  const table = renderColumns(fields.map(([key, value]) => [`${t(lang, `account.col.${key}`)}:`, value]))
  return view.info_change ? `${table}\n${infoChangeLine(view, lang, zone)}` : table
}

export const reasonText = (reasons: readonly WeakReason[], lang: Lang): string[] => reasons.map((r) => (lang === 'zh-CN' ? r.zh : r.en))

export function renderCheck(checked: readonly CheckedAccount[], lang: Lang): string {
  if (checked.length === 0) return t(lang, 'account.listEmpty')
  const lines = checked.map((c) => {
    const reasons = reasonText(c.reasons, lang)
    return `${c.problems.length === 0 ? '✓' : '✗'} ${c.platform}/${c.account}: ${statusText(c, lang)}${reasons.length > 0 ? ` — ${reasons.join('; ')}` : ''}`
  })
  const failing = checked.filter((c) => c.problems.length > 0).length
  return [...lines, t(lang, 'account.checkSummary', {count: checked.length, failing})].join('\n')
}
