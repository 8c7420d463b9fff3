// What the collector keeps of a report, derived in one place from its results: the score, the
// failing checks and the clauses they belong to. Ingest uses it on arrival; the start-up backfill
// uses it on bodies stored before the collector kept clauses. Agents' own summary and clause texts
// are never trusted: the score comes from the results, clause texts from the collector's policy.
import {type CheckResult, summarise} from '../policy/evaluate.js'

/** More distinct clauses than any real policy has (the district's has about 15). */
export const MAX_CLAUSES_PER_REPORT = 100
/** Longer than any real check or clause id: longer ones are not kept. */
export const MAX_ID_LENGTH = 100

export class ReportViewError extends Error {}

export interface ReportView {
  score: null | number
  /** Ids of the failing checks, in report order. */
  failing: string[]
  /** Clause ids of the failing checks (a custom policy's ids included: texts come from the policy). */
  failingClauses: string[]
}

type LooseResult = null | {id?: unknown; status?: unknown; clause?: null | {id?: unknown}}

const usableId = (id: unknown): id is string => typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH

/**
 * The view of `results` (read defensively: a stored body predates today's schema, and the schema
 * does not pin `clause` down). A report naming more than MAX_CLAUSES_PER_REPORT clauses is refused.
 */
export function reportView(results: unknown): ReportView {
  const list = Array.isArray(results) ? (results as LooseResult[]) : []
  const failing: string[] = []
  const named = new Set<string>()
  const failingClauses = new Set<string>()
  for (const r of list) {
    const failed = r?.status === 'fail'
    if (failed && usableId(r?.id)) failing.push(r.id as string)
    const clause = r?.clause?.id
    if (!usableId(clause)) continue
    named.add(clause)
    if (named.size > MAX_CLAUSES_PER_REPORT) throw new ReportViewError(`a report may name at most ${MAX_CLAUSES_PER_REPORT} clauses`)
    if (failed) failingClauses.add(clause)
  }
  const statuses = list.filter((r): r is CheckResult => typeof r?.status === 'string') as CheckResult[]
  return {score: summarise(statuses).score, failing, failingClauses: [...failingClauses]}
}
