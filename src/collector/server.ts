// The collector's HTTPS API. TLS asks every client for a certificate but does not insist (enroll
// and healthz must work without one); /api/v1/reports then demands one our CA issued to a live
// agent. Wire error texts are English on purpose: they are protocol, logged by agents, not UI.
import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'

import {Ajv} from 'ajv'

import {packageRoot} from '../config/package-root.js'
import type {Report} from '../report/build-report.js'
import {summarise} from '../policy/evaluate.js'
import {agentTimeProblem, parseAgentTime} from './agent-time.js'
import {matchesHash, sha256Hex} from './collector-dir.js'
import {Dashboard, DASHBOARD_PREFIX, isDashboardPath} from './dashboard/routes.js'
import {agentDetail, fleet, toCsv} from './fleet.js'
import {MAX_CSR_PEM} from './csr.js'
import {policyClauses} from './policy-clauses.js'
import {CsrError, type KeyAndCert, signAgentCsr} from './pki.js'
import {API, caFingerprint, derFingerprint, type EnrollRequest, INCIDENT_SCHEMA_ID, type IncidentNotice, MAX_BODY_BYTES, REPORT_SCHEMA_ID, STATUS} from './protocol.js'
import {closeAfterAnswer, readCappedBody} from './request-body.js'
import type {CollectorStore} from './store/types.js'

export interface CollectorServerOptions {
  ca: KeyAndCert
  server: KeyAndCert
  adminTokenSha256: string
  store: CollectorStore
  staleDays: number
  now?: () => Date
  /** Told about each request that failed on our side (never with secrets in it). */
  onError?: (error: unknown) => void
}

export interface RunningCollector {
  server: Server
  port: number
  close(): Promise<void>
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** A JSON-schema check from policies/<file>, compiled on first use; null or the first problem found. */
function schemaValidator(file: string, schemaId: string): (data: unknown) => null | string {
  let validator: ReturnType<Ajv['compile']> | undefined
  return (data) => {
    if (!validator) {
      const schema = JSON.parse(readFileSync(join(packageRoot(), 'policies', file), 'utf8')) as object
      validator = new Ajv({allErrors: false, strict: false}).compile(schema)
    }
    if (validator(data)) return null
    const error = validator.errors?.[0]
    return `not a ${schemaId}: ${error?.instancePath || '/'} ${error?.message ?? 'is invalid'}`
  }
}

const validateReport = schemaValidator('report.schema.json', REPORT_SCHEMA_ID)
const validateIncident = schemaValidator('incident.schema.json', INCIDENT_SCHEMA_ID)

/** More distinct clauses than any real policy has (the district's has about 15). */
export const MAX_CLAUSES_PER_REPORT = 100

/**
 * The clauses a report's checks belong to, with their texts from `known` (the collector's policy),
 * and the ids of its failing checks' clauses. An id the collector's policy does not know is kept
 * among the failing ids (a custom policy's), without a text: agents never supply one.
 */
export function reportClauses(report: Report, known: ReadonlyMap<string, string>): {clauses: Map<string, string>; failing: string[]} {
  const ids = new Set<string>()
  const failing = new Set<string>()
  // The schema does not pin `clause` down: read it defensively.
  for (const r of report.results as unknown as Array<null | {status?: unknown; clause?: null | {id?: unknown}}>) {
    const id = r?.clause?.id
    if (typeof id !== 'string' || id === '' || id.length > 100) continue
    ids.add(id)
    if (ids.size > MAX_CLAUSES_PER_REPORT) throw new HttpError(STATUS.badRequest, `a report may name at most ${MAX_CLAUSES_PER_REPORT} clauses`)
    if (r?.status === 'fail') failing.add(id)
  }
  const clauses = new Map([...ids].filter((id) => known.has(id)).map((id) => [id, known.get(id) as string]))
  return {clauses, failing: [...failing]}
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store'})
  res.end(text)
}

/** Reads the body up to MAX_BODY_BYTES; a larger one is a 413 whatever its Content-Length says. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  const body = Number.isFinite(declared) && declared > MAX_BODY_BYTES ? null : await readCappedBody(req, MAX_BODY_BYTES)
  if (!body) throw new HttpError(STATUS.tooLarge, `body larger than ${MAX_BODY_BYTES} bytes`)
  return body
}

/** The parsed body and the text it was parsed from (stored as received: no second serialisation). */
async function readJsonText(req: IncomingMessage): Promise<{text: string; value: unknown}> {
  const text = (await readBody(req)).toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch {
    throw new HttpError(STATUS.badRequest, 'body is not valid JSON')
  }
  // Refused for both backends alike: PostgreSQL would fail on it (a 500 the agent retries forever).
  // JSON can carry a NUL only as the escape \u0000 (a raw one is a parse error): walk only then.
  if (/\\u0000/i.test(text) && holdsNul(value)) throw new HttpError(STATUS.badRequest, 'NUL characters are not accepted')
  return {text, value}
}

/** The path of a request target; a target that is no URL (`GET http://[`) is a 400, not a crash. */
function requestPath(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'https://collector').pathname
  } catch {
    throw new HttpError(STATUS.badRequest, 'the request target is not a valid URL')
  }
}

/** A %-encoded path segment; a broken escape (`%E0%A4%A`) is a 400. */
export function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new HttpError(STATUS.badRequest, 'the path has an invalid %-escape')
  }
}

/** Whether any string or key in a parsed JSON value holds a NUL (PostgreSQL text cannot). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(holdsNul)
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v))
  return false
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return (await readJsonText(req)).value
}

interface PeerIdentity {
  agentId: null | string
  fingerprint: string
}

/**
 * The client certificate's CN and DER fingerprint, worked out once per TLS connection: the
 * certificate cannot change on a connection (we never renegotiate), and getPeerCertificate()
 * builds a fresh object tree on every call. Revocation is still checked on every request.
 */
const peerIdentities = new WeakMap<TLSSocket, null | PeerIdentity>()

function peerIdentity(socket: TLSSocket): null | PeerIdentity {
  let identity = peerIdentities.get(socket)
  if (identity === undefined) {
    const peer = socket.getPeerCertificate()
    // authorized: the chain ends at our CA (the only one in `ca`); self-signed or foreign fail here.
    identity = peer?.raw && socket.authorized ? {agentId: typeof peer.subject?.CN === 'string' ? peer.subject.CN : null, fingerprint: derFingerprint(peer.raw)} : null
    peerIdentities.set(socket, identity)
  }
  return identity
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function enrollRequest(value: unknown): EnrollRequest {
  if (!isObject(value)) throw new HttpError(STATUS.badRequest, 'expected a JSON object {token, csr_pem, hostname}')
  const {csr_pem: csrPem, hostname, token} = value
  if (typeof token !== 'string' || token === '' || token.length > 200) throw new HttpError(STATUS.badRequest, 'token must be a non-empty string')
  if (typeof csrPem !== 'string' || csrPem.length > MAX_CSR_PEM) throw new HttpError(STATUS.badRequest, `csr_pem must be a PEM string of at most ${MAX_CSR_PEM} characters`)
  if (typeof hostname !== 'string' || hostname.trim() === '' || hostname.length > 255) throw new HttpError(STATUS.badRequest, 'hostname must be a non-empty string of at most 255 characters')
  return {csr_pem: csrPem, hostname: hostname.trim(), token}
}

export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':')

export function createCollectorServer(options: CollectorServerOptions): Server {
  const now = options.now ?? (() => new Date())
  const {store} = options
  /** Clause texts this process already saved: a report names ~30, and they almost never change. */
  const savedClauses = new Map<string, string>()
  const dashboard = new Dashboard({store, adminTokenSha256: options.adminTokenSha256, staleDays: options.staleDays, now})

  async function enroll(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = enrollRequest(await readJson(req))
    // The token before the CSR: without one, a request costs a hash and a lookup, never crypto.
    if (!(await store.tokenUsable(sha256Hex(request.token), now().toISOString()))) throw new HttpError(STATUS.unauthorized, 'unknown, used or expired enrollment token')
    const agentId = randomUUID()
    let signed
    try {
      signed = signAgentCsr(options.ca, request.csr_pem, agentId, now())
    } catch (error) {
      if (error instanceof CsrError) throw new HttpError(STATUS.badRequest, error.message)
      throw error
    }
    const at = now().toISOString()
    const enrolled = await store.enrollAgent(sha256Hex(request.token), at, {
      agent_id: agentId,
      hostname: request.hostname,
      cert_fingerprint: caFingerprint(signed.certPem),
      cert_serial: signed.serial,
      enrolled_at: at,
      revoked_at: null,
      last_seen: null,
    })
    if (!enrolled) throw new HttpError(STATUS.unauthorized, 'unknown, used or expired enrollment token')
    send(res, STATUS.created, {agent_id: agentId, certificate_pem: signed.certPem, ca_certificate_pem: options.ca.certPem})
  }

  /** The enrolled, unrevoked agent behind this connection's client certificate. */
  async function certifiedAgent(req: IncomingMessage): Promise<string> {
    const peer = peerIdentity(req.socket as TLSSocket)
    if (!peer) throw new HttpError(STATUS.unauthorized, 'a client certificate issued by this collector is required')
    const agent = peer.agentId ? await store.getAgent(peer.agentId) : null
    if (!agent || agent.cert_fingerprint !== peer.fingerprint) {
      throw new HttpError(STATUS.forbidden, 'this certificate belongs to no enrolled agent')
    }
    if (agent.revoked_at !== null) throw new HttpError(STATUS.forbidden, 'this agent has been revoked')
    return agent.agent_id
  }

  /** An agent's upload: its certified id, then the body, valid under `validate`, parsed and as text. */
  async function certifiedUpload<T>(req: IncomingMessage, validate: (data: unknown) => null | string): Promise<{agentId: string; document: T; text: string}> {
    const agentId = await certifiedAgent(req)
    const {text, value} = await readJsonText(req)
    const problem = validate(value)
    if (problem) throw new HttpError(STATUS.badRequest, problem)
    return {agentId, document: value as T, text}
  }

  async function receiveReport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const {agentId, document: report, text} = await certifiedUpload<Report>(req, validateReport)
    if (report.agent.id !== agentId) throw new HttpError(STATUS.forbidden, 'report.agent.id is not the id in the client certificate')
    const timeProblem = agentTimeProblem('generated_at', report.generated_at, now())
    if (timeProblem) throw new HttpError(STATUS.badRequest, timeProblem)
    const {clauses, failing} = reportClauses(report, policyClauses())
    // Bounded by the policy's clauses: only known ids are ever saved or remembered.
    const unsaved = [...clauses].filter(([id, text]) => savedClauses.get(id) !== text)
    if (unsaved.length > 0) {
      await store.saveClauses(unsaved.map(([id, text]) => ({clause_id: id, text})))
      for (const [id, text] of unsaved) savedClauses.set(id, text)
    }
    const stored = await store.insertReport({
      report_id: report.report_id.toLowerCase(),
      agent_id: agentId,
      generated_at: (parseAgentTime(report.generated_at) as Date).toISOString(),
      received_at: now().toISOString(),
      // From the results, not the agent's own summary: the fleet view must not show a score the
      // report's checks do not bear out.
      score: summarise(report.results).score,
      failing: report.results.filter((r) => r.status === 'fail').map((r) => r.id),
      body: report,
      body_text: text,
      failing_clauses: failing,
    })
    // An id stored before counts as this agent's resend only if it was this agent's report.
    if (!stored && (await store.getReport(report.report_id.toLowerCase()))?.agent_id !== agentId) throw new HttpError(STATUS.conflict, 'report_id is already used by another agent')
    // Only now, after the commit, does the agent learn it may delete its queued copy.
    send(res, stored ? STATUS.created : STATUS.ok, {report_id: report.report_id, stored})
  }

  async function receiveIncident(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const {agentId, document: notice, text} = await certifiedUpload<IncidentNotice>(req, validateIncident)
    if (notice.agent_id !== agentId) throw new HttpError(STATUS.forbidden, 'agent_id is not the id in the client certificate')
    // A notice from the future would outrank every real one (a fake `reconnected` hiding an isolation).
    const timeProblem = agentTimeProblem('at', notice.at, now())
    if (timeProblem) throw new HttpError(STATUS.badRequest, timeProblem)
    const at = parseAgentTime(notice.at) as Date
    const stored = await store.insertIncident(
      {
        notice_id: notice.notice_id.toLowerCase(),
        incident_id: notice.incident_id.toLowerCase(),
        agent_id: agentId,
        event: notice.event,
        at: at.toISOString(),
        received_at: now().toISOString(),
        hostname: notice.hostname,
        method: notice.method,
        reason: notice.reason,
        evidence_sha256: notice.evidence_sha256,
        keep_collector: notice.keep_collector,
      },
      text,
    )
    if (!stored && (await store.incidentAgent(notice.notice_id.toLowerCase())) !== agentId) throw new HttpError(STATUS.conflict, 'notice_id is already used by another agent')
    send(res, stored ? STATUS.created : STATUS.ok, {notice_id: notice.notice_id, stored})
  }

  function requireAdmin(req: IncomingMessage): void {
    const header = req.headers.authorization ?? ''
    const match = /^Bearer (\S+)$/.exec(header)
    if (!match || !matchesHash(match[1] as string, options.adminTokenSha256)) throw new HttpError(STATUS.unauthorized, 'admin token required (Authorization: Bearer …)')
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req.url)
    const method = req.method ?? 'GET'
    const only = (allowed: string): void => {
      if (method !== allowed) throw new HttpError(STATUS.methodNotAllowed, `use ${allowed} for ${path}`)
    }
    if (path === '/') {
      // A browser pointed at the collector's bare address lands on the dashboard.
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(STATUS.methodNotAllowed, 'use GET for /')
      res.writeHead(302, {location: DASHBOARD_PREFIX, 'content-length': 0, 'cache-control': 'no-store'})
      res.end()
    } else if (path === API.health) {
      only('GET')
      send(res, STATUS.ok, {status: 'ok'})
    } else if (path === API.enroll) {
      only('POST')
      await enroll(req, res)
    } else if (path === API.reports) {
      only('POST')
      await receiveReport(req, res)
    } else if (path === API.incidents) {
      only('POST')
      await receiveIncident(req, res)
    } else if (path === API.fleet) {
      only('GET')
      requireAdmin(req)
      send(res, STATUS.ok, {agents: await fleet(store, now(), options.staleDays)})
    } else if (path === API.exportCsv) {
      only('GET')
      requireAdmin(req)
      send(res, STATUS.ok, toCsv(await store.exportReports()), 'text/csv; charset=utf-8')
    } else if (path.startsWith(API.agentPrefix)) {
      only('GET')
      requireAdmin(req)
      const detail = await agentDetail(store, decodePathPart(path.slice(API.agentPrefix.length)), now(), options.staleDays)
      if (!detail) throw new HttpError(STATUS.notFound, 'no such agent')
      send(res, STATUS.ok, detail)
    } else if (isDashboardPath(path)) {
      // Browsers, not agents: no client certificate; the dashboard does its own login and CSRF checks.
      await dashboard.handle(req, res)
    } else {
      throw new HttpError(STATUS.notFound, 'not found')
    }
  }

  return createServer(
    {
      key: options.server.keyPem,
      cert: options.server.certPem,
      ca: [options.ca.certPem],
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      // TLS 1.3, and TLS 1.2 only with forward secrecy (ECDHE) and AEAD ciphers: no RSA key
      // exchange, no CBC.
      ciphers: TLS_CIPHERS,
      honorCipherOrder: true,
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        if (res.headersSent) return
        if (error instanceof HttpError) {
          // A refused request may still be sending its body: answer, then close rather than read it.
          if (!req.complete) closeAfterAnswer(req, res)
          send(res, error.status, {error: error.message})
          return
        }
        options.onError?.(error)
        send(res, 500, {error: 'internal error'})
      })
    },
  )
}

export function startCollector(options: CollectorServerOptions, port: number, host: string): Promise<RunningCollector> {
  const server = createCollectorServer(options)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
