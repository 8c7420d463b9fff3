// What the report covers, said plainly at its top: how many checks applied and under which
// clauses, which could not be judged and why, and which did not apply (one list, grouped by why).
import type {Translate} from '../i18n/messages.js'
import type {CheckResult} from '../policy/evaluate.js'
import type {Text} from '../policy/types.js'
import {describeEvidence, describeRule} from './describe-evidence.js'
import {groupByClause} from './group-by-clause.js'

export interface Scope {
  /** Checks that applied to this PC (passed, failed or could not be judged). */
  checked: number
  clauses: Array<{id: string; text: string}>
  unjudged: Array<{id: string; title: Text; reasons: string[]}>
  /** Not-applicable checks grouped by the reason, in the order they first appear. */
  notApplicable: Array<{why: string[]; titles: Text[]}>
}

export function describeScope(results: readonly CheckResult[], tr: Translate): Scope {
  const applied = results.filter((r) => r.status !== 'not_applicable')
  const unjudged = applied
    .filter((r) => r.status === 'error')
    // Only the rules that could not be judged say why; the others would read as noise here.
    .map((r) => ({id: r.id, reasons: r.evidence.reason ? describeEvidence(r, tr) : r.evidence.rules.filter((rule) => rule.outcome === 'error').map((rule) => describeRule(rule, tr)), title: r.title}))
  const groups = new Map<string, {why: string[]; titles: Text[]}>()
  for (const r of results) {
    if (r.status !== 'not_applicable') continue
    const why = describeEvidence(r, tr)
    const key = why.join('\n')
    const group = groups.get(key) ?? {titles: [], why}
    group.titles.push(r.title)
    groups.set(key, group)
  }
  return {
    checked: applied.length,
    clauses: groupByClause(applied).map((g) => g.clause),
    notApplicable: [...groups.values()],
    unjudged,
  }
}
