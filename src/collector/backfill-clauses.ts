// Reports stored before the collector kept failing clauses on the agent row (migration 3) leave
// that column empty. Filled once at start from those reports, through the same report view ingest
// uses, so no page ever reads a report body to show the fleet.
import {reportView} from './report-view.js'
import type {CollectorStore} from './store/types.js'

const BATCH = 200

/** Fills every missing row; returns how many it filled. A body that cannot be read gets no clauses. */
export async function backfillFailingClauses(store: CollectorStore): Promise<number> {
  let filled = 0
  for (;;) {
    const missing = await store.agentsMissingClauses(BATCH)
    if (missing.length === 0) return filled
    for (const {agent_id: agentId, report_id: reportId} of missing) {
      const body = (await store.getReport(reportId))?.body as undefined | {results?: unknown}
      let clauses: string[] = []
      try {
        clauses = reportView(body?.results).failingClauses
      } catch {
        // Too many clauses: stored before the bound existed. None shown rather than thousands.
      }
      await store.setLatestClauses(agentId, reportId, clauses)
      filled++
    }
  }
}
