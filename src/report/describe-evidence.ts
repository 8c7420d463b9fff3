// One short, translated line per rule saying what was found, in plain words: the text the table,
// the HTML and the printed report show. Raw rows stay in the JSON report.
import type {Row} from '../facts/types.js'
import type {LocalText, Translate} from '../i18n/messages.js'
import type {CheckResult, RuleEvidence} from '../policy/evaluate.js'
import {describeRow, factLabel, platformLabel, variableLabel} from './plain-values.js'

const SHOWN = 5

function listRows(tr: Translate, fact: string, rows: Row[], total: number): string {
  const shown = rows
    .slice(0, SHOWN)
    .map((row) => describeRow(tr, fact, row))
    .join(tr('value.rowSeparator'))
  return total > SHOWN ? `${shown}${tr('value.rowSeparator')}${tr('evidence.more', {count: total - SHOWN})}` : shown
}

/** A reason in the reader's language; reports written before reasons were keyed carry plain text. */
export function describeReason(tr: Translate, reason: LocalText | string): string {
  if (typeof reason === 'string') return reason
  const params = {...reason.params}
  if (typeof params.fact === 'string') params.fact = factLabel(tr, params.fact)
  if (typeof params.variables === 'string') params.variables = params.variables.split(', ').map((v) => variableLabel(tr, v)).join(tr('value.listSeparator'))
  if (typeof params.platform === 'string') params.platform = platformLabel(tr, params.platform)
  if (typeof params.platforms === 'string') params.platforms = params.platforms.split(',').map((p) => platformLabel(tr, p)).join(tr('value.listSeparator'))
  return tr(reason.key, params)
}

export function describeRule(rule: RuleEvidence, tr: Translate): string {
  const fact = factLabel(tr, rule.fact)
  if (rule.reason) return describeReason(tr, rule.reason)
  if (rule.expect === 'none') {
    return rule.matched_count === 0
      ? tr('evidence.noneFound', {fact, rows: rule.row_count})
      : tr('evidence.found', {count: rule.matched_count, fact, rows: listRows(tr, rule.fact, rule.matched, rule.matched_count)})
  }
  if (rule.expect === 'all') {
    const bad = rule.row_count - rule.matched_count - rule.unknown_count
    if (rule.row_count === 0) return tr('evidence.noRows', {fact})
    return bad === 0
      ? tr('evidence.allMatch', {count: rule.row_count, fact})
      : tr('evidence.notAll', {bad, count: rule.row_count, fact, rows: listRows(tr, rule.fact, rule.not_matched, bad)})
  }
  if (rule.matched_count > 0) return tr('evidence.found', {count: rule.matched_count, fact, rows: listRows(tr, rule.fact, rule.matched, rule.matched_count)})
  if (rule.row_count === 0) return tr('evidence.noRows', {fact})
  return tr('evidence.noneQualify', {count: rule.row_count, fact, rows: listRows(tr, rule.fact, rule.not_matched, rule.row_count - rule.unknown_count)})
}

/** The check's own sentence for its outcome (when the policy gives one), then a line per rule. */
export function describeEvidence(result: CheckResult, tr: Translate): string[] {
  const {reason, rules} = result.evidence
  if (reason) return [describeReason(tr, reason)]
  const said = result.status === 'pass' || result.status === 'fail' ? result.finding?.[result.status] : undefined
  const sentence = said ? [tr.lang === 'zh-CN' ? said.zh : said.en] : []
  return [...sentence, ...rules.map((rule) => describeRule(rule, tr))]
}
