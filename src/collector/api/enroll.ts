// POST /api/v1/enroll: a one-time token and a CSR buy a client certificate. The token is checked
// before any work on the CSR, so a request without a valid one costs a hash and a lookup, never
// crypto; failed tokens count against the source (auth-limiter).
import {randomUUID} from 'node:crypto'

import {sourceKey} from '../auth-limiter.js'
import {sha256Hex} from '../collector-dir.js'
import {MAX_CSR_PEM} from '../csr.js'
import {HttpError} from '../http/http-error.js'
import {readJsonText} from '../http/request-body.js'
import {send} from '../http/respond.js'
import {CsrError, signAgentCsr} from '../pki.js'
import {caFingerprint, type EnrollRequest, MAX_BODY_BYTES, STATUS} from '../protocol.js'
import type {Handler} from './context.js'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function enrollRequest(value: unknown): EnrollRequest {
  if (!isObject(value)) throw new HttpError(STATUS.badRequest, 'expected a JSON object {token, csr_pem, hostname}')
  const {csr_pem: csrPem, hostname, token} = value
  if (typeof token !== 'string' || token === '' || token.length > 200) throw new HttpError(STATUS.badRequest, 'token must be a non-empty string')
  if (typeof csrPem !== 'string' || csrPem.length > MAX_CSR_PEM) throw new HttpError(STATUS.badRequest, `csr_pem must be a PEM string of at most ${MAX_CSR_PEM} characters`)
  if (typeof hostname !== 'string' || hostname.trim() === '' || hostname.length > 255) throw new HttpError(STATUS.badRequest, 'hostname must be a non-empty string of at most 255 characters')
  return {csr_pem: csrPem, hostname: hostname.trim(), token}
}

const refused = (): HttpError => new HttpError(STATUS.unauthorized, 'unknown, used or expired enrollment token')

export const enroll: Handler = async (req, res, ctx) => {
  const {limiter, now, store} = ctx
  const source = sourceKey(req.socket.remoteAddress)
  await limiter.assertAllowed('enroll', source)
  const request = enrollRequest((await readJsonText(req, MAX_BODY_BYTES)).value)
  const tokenHash = sha256Hex(request.token)
  if (!(await store.tokenUsable(tokenHash, now().toISOString()))) {
    await limiter.fail('enroll', source)
    throw refused()
  }
  const agentId = randomUUID()
  let signed
  try {
    signed = signAgentCsr(ctx.ca, request.csr_pem, agentId, now())
  } catch (error) {
    if (error instanceof CsrError) throw new HttpError(STATUS.badRequest, error.message)
    throw error
  }
  const at = now().toISOString()
  const enrolled = await store.enrollAgent(tokenHash, at, {
    agent_id: agentId,
    hostname: request.hostname,
    cert_fingerprint: caFingerprint(signed.certPem),
    cert_serial: signed.serial,
    enrolled_at: at,
    revoked_at: null,
    last_seen: null,
  })
  // Used up between the check and the commit (a concurrent enrollment): not a guess, not counted.
  if (!enrolled) throw refused()
  send(res, STATUS.created, {agent_id: agentId, certificate_pem: signed.certPem, ca_certificate_pem: ctx.ca.certPem})
}
