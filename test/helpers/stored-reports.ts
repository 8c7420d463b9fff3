// Every stored report's summary, newest first, paging through the store's bounded listing: what a
// test checks after the fact (the store itself never returns more than one page).
import {MAX_SUMMARY_PAGE} from '../../src/collector/store/bounds.js'
import type {CollectorStore, ReportCursor, ReportSummaryRow} from '../../src/collector/store/types.js'

export async function storedReports(store: CollectorStore, agentId?: string): Promise<ReportSummaryRow[]> {
  const all: ReportSummaryRow[] = []
  let before: ReportCursor | undefined
  do {
    const page = await store.listReportSummaries(agentId, {before, limit: MAX_SUMMARY_PAGE})
    all.push(...page.reports)
    before = page.older ?? undefined
  } while (before)
  return all
}
