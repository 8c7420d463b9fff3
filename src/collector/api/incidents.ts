// POST /api/v1/incidents: an agent's notice that it cut its PC off the network or brought it back.
import {agentTimeProblem, parseAgentTime} from '../agent-time.js'
import {HttpError} from '../http/http-error.js'
import {schemaValidator} from '../http/json-schema.js'
import {send} from '../http/respond.js'
import {INCIDENT_SCHEMA_ID, type IncidentNotice, STATUS} from '../protocol.js'
import {certifiedUpload} from './agent-upload.js'
import type {Handler} from './context.js'

const validateIncident = schemaValidator('incident.schema.json', INCIDENT_SCHEMA_ID)

export const receiveIncident: Handler = async (req, res, ctx) => {
  const {now, store} = ctx
  const {agentId, document: notice, text} = await certifiedUpload<IncidentNotice>(store, req, validateIncident)
  if (notice.agent_id !== agentId) throw new HttpError(STATUS.forbidden, 'agent_id is not the id in the client certificate')
  // A notice from the future would outrank every real one (a fake `reconnected` hiding an isolation).
  const timeProblem = agentTimeProblem('at', notice.at, now())
  if (timeProblem) throw new HttpError(STATUS.badRequest, timeProblem)
  const noticeId = notice.notice_id.toLowerCase()
  const stored = await store.insertIncident(
    {
      notice_id: noticeId,
      incident_id: notice.incident_id.toLowerCase(),
      agent_id: agentId,
      event: notice.event,
      at: (parseAgentTime(notice.at) as Date).toISOString(),
      received_at: now().toISOString(),
      hostname: notice.hostname,
      method: notice.method,
      reason: notice.reason,
      evidence_sha256: notice.evidence_sha256,
      keep_collector: notice.keep_collector,
    },
    text,
  )
  if (!stored && (await store.incidentAgent(noticeId)) !== agentId) throw new HttpError(STATUS.conflict, 'notice_id is already used by another agent')
  send(res, stored ? STATUS.created : STATUS.ok, {notice_id: notice.notice_id, stored})
}
