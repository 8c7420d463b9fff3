// (facts, policy) → results. Pure: no I/O, no clock. `error` (a fact was unavailable, a needed
// value unknown, the policy not configured) is never a pass; `not_applicable` (other platform,
// disabled, nothing to judge) is left out of the score. A check that looked at nothing never passes.
import {tableReason} from '../facts/table-reason.js'
import type {FactsSnapshot, Row} from '../facts/types.js'
import type {LocalText} from '../i18n/messages.js'
import {and, judge, or, type Truth} from './conditions.js'
import type {Check, Condition, Expect, Policy, Rule, Severity, Text, WhenEmpty} from './types.js'
import {resolveVar, unconfiguredVariables} from './variables.js'

export type Status = 'error' | 'fail' | 'not_applicable' | 'pass'

const MAX_EVIDENCE_ROWS = 20

export interface RuleEvidence {
  fact: string
  expect: Expect
  outcome: Status
  /** Rows that satisfy `where` (only the evidence columns), at most 20. */
  matched: Row[]
  /** For `expect: all` and `any`: rows that do not satisfy `where` (they say why), at most 20. */
  not_matched: Row[]
  matched_count: number
  row_count: number
  /** Rows whose answer was unknown (a needed column was null). */
  unknown_count: number
  /** Why the rule could not be judged (table unavailable, values unknown, policy not configured, nothing to judge). */
  reason?: LocalText
}

export interface CheckResult {
  id: string
  title: Text
  severity: Severity
  status: Status
  clause: {id: string; text: string}
  compliance: Record<string, string[]>
  rationale: Text
  remediation: Text
  finding?: {pass?: Text; fail?: Text}
  evidence: {rules: RuleEvidence[]; reason?: LocalText; not_applicable?: {platforms: string[]} | {variable: string} | {empty: string[]}}
}

export interface Summary {
  pass: number
  fail: number
  error: number
  not_applicable: number
  /** passed / (passed + failed + error); null when nothing was judged. */
  score: null | number
}

export function evaluate(facts: FactsSnapshot, policy: Policy): CheckResult[] {
  return policy.checks.map((check) => evaluateCheck(check, facts, policy))
}

export function evaluateCheck(check: Check, facts: FactsSnapshot, policy: Policy): CheckResult {
  const base = {
    clause: check.clause,
    compliance: check.compliance,
    ...(check.finding ? {finding: check.finding} : {}),
    id: check.id,
    rationale: check.rationale,
    remediation: check.remediation,
    severity: check.severity,
    title: check.title,
  }
  if (check.platforms && !check.platforms.includes(facts.host.platform)) {
    const reason: LocalText = {key: 'reason.otherPlatform', params: {platforms: check.platforms.join(',')}}
    return {...base, evidence: {not_applicable: {platforms: check.platforms}, reason, rules: []}, status: 'not_applicable'}
  }
  if (check.enabled !== undefined) {
    const unset = unconfiguredVariables(policy, [check.enabled])
    if (unset.length > 0) return {...base, evidence: {reason: notConfigured(unset), rules: []}, status: 'error'}
    if (resolveVar(policy, check.enabled) === false) {
      const reason: LocalText = {key: 'reason.disabled', params: {variable: String(check.enabled)}}
      return {...base, evidence: {not_applicable: {variable: String(check.enabled)}, reason, rules: []}, status: 'not_applicable'}
    }
  }
  const rules = check.rules.map((rule) => evaluateRule(rule, facts, policy))
  // A rule with nothing to judge neither helps nor hurts; a check whose rules all had nothing is not applicable.
  const judged = rules.filter((r) => r.outcome !== 'not_applicable')
  if (judged.length === 0) return {...base, evidence: {not_applicable: {empty: rules.map((r) => r.fact)}, rules}, status: 'not_applicable'}
  const truths = judged.map((r): Truth => (r.outcome === 'pass' ? true : r.outcome === 'fail' ? false : 'unknown'))
  const verdict = (check.condition ?? 'all') === 'all' ? and(truths) : or(truths)
  return {...base, evidence: {rules}, status: verdict === 'unknown' ? 'error' : verdict ? 'pass' : 'fail'}
}

export function evaluateRule(rule: Rule, facts: FactsSnapshot, policy: Policy): RuleEvidence {
  const table = facts.tables[rule.fact]
  const empty = {expect: rule.expect, fact: rule.fact, matched: [], matched_count: 0, not_matched: [], row_count: 0, unknown_count: 0}
  if (!table) return {...empty, outcome: 'error', reason: {key: 'reason.notCollected', params: {fact: rule.fact}}}
  if ('error' in table) return {...empty, outcome: 'error', reason: tableReason(rule.fact, table)}
  if (table.rows.length === 0) {
    const when = whenEmpty(rule)
    if (when !== 'none_found') return {...empty, outcome: when, reason: {key: `reason.empty.${when}`, params: {fact: rule.fact}}}
  }
  const unset = unconfiguredVariables(policy, ruleOperands(rule))
  if (unset.length > 0) return {...empty, outcome: 'error', reason: notConfigured(unset), row_count: table.rows.length}
  const matched: Row[] = []
  const notMatched: Row[] = []
  let matchedCount = 0
  let unknownCount = 0
  const unknownColumns = new Set<string>()
  for (const row of table.rows) {
    const truth = rule.where ? judge(rule.where, row, policy) : true
    if (truth === true) {
      matchedCount++
      if (matched.length < MAX_EVIDENCE_ROWS) matched.push(pick(row, rule.evidence))
    } else if (truth === false) {
      if ((rule.expect === 'all' || rule.expect === 'any') && notMatched.length < MAX_EVIDENCE_ROWS) notMatched.push(pick(row, rule.evidence))
    } else {
      unknownCount++
      for (const column of conditionColumns(rule.where)) if (row[column] === null || row[column] === undefined) unknownColumns.add(column)
    }
  }
  const rowCount = table.rows.length
  const truth = expectation(rule.expect, policy, matchedCount, unknownCount, rowCount)
  const outcome: Status = truth === 'unknown' ? 'error' : truth ? 'pass' : 'fail'
  const reason: LocalText | undefined =
    outcome === 'error'
      ? {key: 'reason.unknownValues', params: {columns: [...unknownColumns].join(', '), fact: rule.fact, rows: rowCount, unknown: unknownCount}}
      : undefined
  return {...empty, matched, matched_count: matchedCount, not_matched: notMatched, outcome, row_count: rowCount, unknown_count: unknownCount, ...(reason ? {reason} : {})}
}

/**
 * Zero rows: a rule says what that means; unsaid, "none"/"all" over nothing have nothing to judge,
 * while "any"/a minimum already fail on an empty table.
 */
function whenEmpty(rule: Rule): WhenEmpty {
  if (rule.when_empty) return rule.when_empty
  return rule.expect === 'none' || rule.expect === 'all' ? 'not_applicable' : 'none_found'
}

const notConfigured = (variables: string[]): LocalText => ({key: 'reason.notConfigured', params: {variables: variables.join(', ')}})

/** Every value a rule reads from the policy: condition operands and `expect` bounds. */
function ruleOperands(rule: Rule): unknown[] {
  const bounds = typeof rule.expect === 'object' ? [rule.expect.min, rule.expect.max] : []
  return [...conditionOperands(rule.where), ...bounds]
}

function conditionOperands(cond: Condition | undefined): unknown[] {
  if (!cond) return []
  if ('all' in cond) return cond.all.flatMap(conditionOperands)
  if ('any' in cond) return cond.any.flatMap(conditionOperands)
  if ('not' in cond) return conditionOperands(cond.not)
  return Object.entries(cond).flatMap(([key, value]) => (key === 'column' ? [] : [value]))
}

/** Whether the counts meet `expect`, in three-valued logic: unknown rows could go either way. */
function expectation(expect: Expect, policy: Policy, yes: number, unknown: number, total: number): Truth {
  if (expect === 'none') return yes > 0 ? false : unknown > 0 ? 'unknown' : true
  if (expect === 'any') return yes > 0 ? true : unknown > 0 ? 'unknown' : false
  if (expect === 'all') {
    if (total === 0 || yes + unknown < total) return false
    return unknown > 0 ? 'unknown' : true
  }
  const min = Number(resolveVar(policy, expect.min ?? 0))
  const max = expect.max === undefined ? Number.POSITIVE_INFINITY : Number(resolveVar(policy, expect.max))
  const low = yes
  const high = yes + unknown
  if (low >= min && high <= max) return true
  if (high < min || low > max) return false
  return 'unknown'
}

function pick(row: Row, columns: string[] | undefined): Row {
  if (!columns || columns.length === 0) return row
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))
}

function conditionColumns(cond: Condition | undefined): string[] {
  if (!cond) return []
  if ('all' in cond) return cond.all.flatMap(conditionColumns)
  if ('any' in cond) return cond.any.flatMap(conditionColumns)
  if ('not' in cond) return conditionColumns(cond.not)
  return [cond.column]
}

export function summarise(results: CheckResult[]): Summary {
  const count = (status: Status): number => results.filter((r) => r.status === status).length
  const pass = count('pass')
  const fail = count('fail')
  const error = count('error')
  const judged = pass + fail + error
  return {error, fail, not_applicable: count('not_applicable'), pass, score: judged === 0 ? null : Math.round((pass / judged) * 1000) / 1000}
}
