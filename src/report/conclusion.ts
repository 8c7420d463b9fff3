// The one-word verdict a district signs (合格 / 不合格 / 无法判定) and the counts behind it, derived
// from the results alone so that the HTML, the terminal and an old report always agree.
import type {CheckResult, Status} from '../policy/evaluate.js'

export type Verdict = 'compliant' | 'non_compliant' | 'undetermined'

export interface Conclusion {
  verdict: Verdict
  counts: Record<Status, number>
}

export function conclude(results: ReadonlyArray<Pick<CheckResult, 'status'>>): Conclusion {
  const counts: Record<Status, number> = {error: 0, fail: 0, not_applicable: 0, pass: 0}
  for (const r of results) counts[r.status]++
  // A failure decides; otherwise an unjudged check, or nothing judged at all, leaves it open.
  const verdict: Verdict = counts.fail > 0 ? 'non_compliant' : counts.error > 0 || counts.pass === 0 ? 'undetermined' : 'compliant'
  return {counts, verdict}
}
