// The wire contract between agent and collector (issue 4). Both sides import these names, so a
// path, status or identity rule changes in exactly one place.
import {createHash, X509Certificate} from 'node:crypto'

export const API = {
  health: '/healthz',
  enroll: '/api/v1/enroll',
  reports: '/api/v1/reports',
  incidents: '/api/v1/incidents',
  fleet: '/api/v1/fleet',
  /** Followed by the agent id: `${API.agentPrefix}${id}`. */
  agentPrefix: '/api/v1/agents/',
  exportCsv: '/api/v1/export.csv',
} as const

export const STATUS = {
  ok: 200,
  created: 201,
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  tooLarge: 413,
  tooManyRequests: 429,
} as const

/** Largest accepted request body (a report, or an enrollment request). */
export const MAX_BODY_BYTES = 1024 * 1024

export const AGENT_ORGANIZATION = 'nm-guard agent'
export const REPORT_SCHEMA_ID = 'nm-guard/report@1'
export const INCIDENT_SCHEMA_ID = 'nm-guard/incident@1'
export const DEFAULT_PORT = 8443

export interface HealthResponse {
  status: 'ok'
}

export interface EnrollRequest {
  token: string
  csr_pem: string
  hostname: string
}

export interface EnrollResponse {
  agent_id: string
  certificate_pem: string
  ca_certificate_pem: string
}

export interface ReportAccepted {
  report_id: string
  /** true: stored now (201); false: that report_id was stored before (200). */
  stored: boolean
}

export type IncidentEvent = 'isolated' | 'reconnected'

/**
 * What an agent tells the collector when it cut a PC off the network or brought it back (issue 5),
 * POSTed over mutual TLS to API.incidents; policies/incident.schema.json is the same contract.
 */
export interface IncidentNotice {
  schema: 'nm-guard/incident@1'
  /** UUID; the idempotency key: a notice sent twice is stored once. */
  notice_id: string
  /** UUID shared by the 'isolated' notice and the 'reconnected' one that ends it. */
  incident_id: string
  event: IncidentEvent
  /** ISO 8601: when it happened on the PC. */
  at: string
  hostname: string
  /** Must equal the id in the client certificate (else 403). */
  agent_id: null | string
  method: null | string
  reason: null | string
  /** SHA-256 (hex) of the evidence folder's manifest.json. */
  evidence_sha256: null | string
  keep_collector: boolean
}

export interface IncidentAccepted {
  notice_id: string
  /** true: stored now (201); false: that notice_id was stored before (200). */
  stored: boolean
}

export interface ErrorResponse {
  error: string
}

export interface FleetAgent {
  agent_id: string
  hostname: string
  last_report_at: null | string
  last_seen: null | string
  score: null | number
  failing: string[]
  stale: boolean
  revoked: boolean
  /** Its latest incident notice says 'isolated' (cut off the network, issue 5). */
  isolated: boolean
  /** When that 'isolated' happened; null when not isolated. */
  isolated_since: null | string
}

export interface FleetResponse {
  agents: FleetAgent[]
}

export interface AgentReportSummary {
  report_id: string
  generated_at: string
  score: null | number
  failing: string[]
}

/** One stored incident notice as the admin API shows it. */
export interface AgentIncident {
  notice_id: string
  incident_id: string
  event: IncidentEvent
  at: string
  received_at: string
  hostname: string
  method: null | string
  reason: null | string
  evidence_sha256: null | string
  keep_collector: boolean
}

export interface AgentResponse {
  agent: FleetAgent
  reports: AgentReportSummary[]
  /** Newest first. */
  incidents: AgentIncident[]
  /** The next (older) page of reports: pass it back as `?before=`; null when there is none. */
  older: null | string
}

export const CSV_COLUMNS = ['report_id', 'agent_id', 'hostname', 'generated_at', 'score', 'failing'] as const

/** SHA-256 of the certificate's DER, lowercase hex without colons. */
export function caFingerprint(certPem: string): string {
  return derFingerprint(new X509Certificate(certPem).raw)
}

export function derFingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex')
}

/** Accepts a fingerprint typed with colons, spaces or upper case; null when it is not 64 hex digits. */
export function normaliseFingerprint(input: string): null | string {
  const hex = input.replaceAll(/[\s:]/g, '').toLowerCase()
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null
}

/** The agent id a certificate carries: its subject CN (null when it has none). */
export function agentIdFromCert(certPem: string): null | string {
  return cnOfSubject(new X509Certificate(certPem).subject)
}

/** CN out of Node's subject text ("O=...\nCN=..."), as in `X509Certificate.subject` or `getPeerCertificate().subject`. */
export function cnOfSubject(subject: string): null | string {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3)
  return null
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && UUID_V4.test(value)
}
