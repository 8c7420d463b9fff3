// One short, translated line per rule saying what was found: the text the table and HTML show.
import type {Row} from '../facts/types.js'
import type {Translate} from '../i18n/messages.js'
import type {CheckResult, RuleEvidence} from '../policy/evaluate.js'

const SHOWN = 5

/** Names and SSIDs read best bare; other values need their column to mean anything ("days_since_patch=66"). */
const BARE = new Set(['name', 'ssid', 'kind'])

export function describeRow(row: Row): string {
  return Object.entries(row)
    .filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => {
      const value = Array.isArray(v) ? v.join(',') : String(v)
      return BARE.has(k) ? value : `${k}=${value}`
    })
    .join(' ')
}

function listRows(rows: Row[], total: number, tr: Translate): string {
  const shown = rows.slice(0, SHOWN).map(describeRow).join('; ')
  return total > SHOWN ? `${shown}; ${tr('evidence.more', {count: total - SHOWN})}` : shown
}

export function describeRule(rule: RuleEvidence, tr: Translate): string {
  const fact = rule.fact
  if (rule.reason) return tr('evidence.unavailable', {fact, reason: rule.reason})
  if (rule.expect === 'none') {
    return rule.matched_count === 0
      ? tr('evidence.noneFound', {fact, rows: rule.row_count})
      : tr('evidence.found', {count: rule.matched_count, fact, rows: listRows(rule.matched, rule.matched_count, tr)})
  }
  if (rule.expect === 'all') {
    const bad = rule.row_count - rule.matched_count - rule.unknown_count
    if (rule.row_count === 0) return tr('evidence.noRows', {fact})
    return bad === 0
      ? tr('evidence.allMatch', {count: rule.row_count, fact})
      : tr('evidence.notAll', {bad, count: rule.row_count, fact, rows: listRows(rule.not_matched, bad, tr)})
  }
  if (rule.matched_count > 0) return tr('evidence.found', {count: rule.matched_count, fact, rows: listRows(rule.matched, rule.matched_count, tr)})
  if (rule.row_count === 0) return tr('evidence.noRows', {fact})
  return tr('evidence.noneQualify', {count: rule.row_count, fact, rows: listRows(rule.not_matched, rule.row_count - rule.unknown_count, tr)})
}

export function describeEvidence(result: CheckResult, tr: Translate): string[] {
  const na = result.evidence.not_applicable
  if (na && 'platforms' in na) return [tr('evidence.otherPlatform', {platforms: na.platforms.join(', ')})]
  if (na) return [tr('evidence.disabled', {variable: na.variable})]
  return result.evidence.rules.map((rule) => describeRule(rule, tr))
}
