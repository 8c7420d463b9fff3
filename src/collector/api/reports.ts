// POST /api/v1/reports: an agent's audit report. The agent's clock and summary are not trusted:
// its date must be possible and not ahead of ours, and the score, failing checks and clauses are
// derived here from its results (report-view).
import type {Report} from '../../report/build-report.js'
import {agentTimeProblem, parseAgentTime} from '../agent-time.js'
import {HttpError} from '../http/http-error.js'
import {schemaValidator} from '../http/json-schema.js'
import {send} from '../http/respond.js'
import {REPORT_SCHEMA_ID, STATUS} from '../protocol.js'
import {reportView, ReportViewError} from '../report-view.js'
import {certifiedUpload} from './agent-upload.js'
import type {Handler} from './context.js'

const validateReport = schemaValidator('report.schema.json', REPORT_SCHEMA_ID)

export const receiveReport: Handler = async (req, res, ctx) => {
  const {now, store} = ctx
  const {agentId, document: report, text} = await certifiedUpload<Report>(store, req, validateReport)
  if (report.agent.id !== agentId) throw new HttpError(STATUS.forbidden, 'report.agent.id is not the id in the client certificate')
  const timeProblem = agentTimeProblem('generated_at', report.generated_at, now())
  if (timeProblem) throw new HttpError(STATUS.badRequest, timeProblem)
  let view
  try {
    view = reportView(report.results)
  } catch (error) {
    if (error instanceof ReportViewError) throw new HttpError(STATUS.badRequest, error.message)
    throw error
  }
  const reportId = report.report_id.toLowerCase()
  const stored = await store.insertReport({
    report_id: reportId,
    agent_id: agentId,
    generated_at: (parseAgentTime(report.generated_at) as Date).toISOString(),
    received_at: now().toISOString(),
    score: view.score,
    failing: view.failing,
    body: report,
    body_text: text,
    failing_clauses: view.failingClauses,
  })
  // An id stored before counts as this agent's resend only if it was this agent's report.
  if (!stored && (await store.getReport(reportId))?.agent_id !== agentId) throw new HttpError(STATUS.conflict, 'report_id is already used by another agent')
  // Only now, after the commit, does the agent learn it may delete its queued copy.
  send(res, stored ? STATUS.created : STATUS.ok, {report_id: report.report_id, stored})
}
