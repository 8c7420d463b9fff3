// `nm-guard enroll`: pin the collector's CA, make a key pair and a CSR, trade the one-time token
// for a certificate, and keep the identity under the state dir (private key readable by its owner only).
import {generateKeyPairSync, X509Certificate} from 'node:crypto'
import {Agent} from 'node:https'
import {hostname as osHostname} from 'node:os'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {createCsr} from '../collector/pki.js'
import {API, caFingerprint, cnOfSubject, type EnrollRequest, isAgentId, normaliseFingerprint, STATUS} from '../collector/protocol.js'
import {writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import {errorText, NetworkError, postJson} from './https-request.js'
import {type Enrollment, loadEnrollment} from './identity.js'
import {type AgentPaths, agentPaths} from './paths.js'
import {fetchPinnedCa, PinError} from './pin.js'

export {type AgentIdentity, type Enrollment, loadEnrollment, requireIdentity} from './identity.js'

export interface EnrollOptions {
  url: string
  token: string
  caFingerprint: string
  force: boolean
  paths?: AgentPaths
  timeoutMs?: number
}

export const DEFAULT_TIMEOUT_MS = 15_000

/** The CSR's subject CN: never read by the collector, which names the certificate after the agent id. */
export const CSR_PLACEHOLDER_CN = 'nm-guard-agent'

/** The collector URL: https only, origin only (the API paths are fixed by the contract). */
export function parseCollectorUrl(input: string): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new UserError('agent.badUrl', {url: input}, EXIT.usage)
  }
  if (url.protocol !== 'https:' || url.username || url.password) throw new UserError('agent.badUrl', {url: input}, EXIT.usage)
  return new URL(url.origin)
}

export async function enroll(options: EnrollOptions): Promise<Enrollment> {
  const paths = options.paths ?? agentPaths()
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const url = parseCollectorUrl(options.url)
  const fingerprint = normaliseFingerprint(options.caFingerprint)
  if (!fingerprint) throw new UserError('agent.badFingerprint', {}, EXIT.usage)
  if (!options.token.trim()) throw new UserError('agent.emptyToken', {}, EXIT.usage)
  if (!options.force && (await loadEnrollment(paths))) throw new UserError('agent.alreadyEnrolled', {}, EXIT.error)

  let caPem: string
  try {
    caPem = await fetchPinnedCa(url, fingerprint, timeoutMs)
  } catch (error) {
    if (error instanceof PinError) throw new UserError(`agent.pin.${error.reason}`, {url: url.origin, fingerprint}, EXIT.error)
    throw unreachable(error, url)
  }

  const host = osHostname()
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const keyPem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
  const publicPem = publicKey.export({format: 'pem', type: 'spki'}).toString()
  // The CN is a fixed ASCII placeholder: the collector replaces the subject with the agent_id it
  // assigns, and the hostname (宣传部-张伟 as much as gc-pc-01) travels in the JSON body.
  const csrPem = createCsr(keyPem, CSR_PLACEHOLDER_CN)
  const body: EnrollRequest = {token: options.token.trim(), csr_pem: csrPem, hostname: host}
  // Only the pinned CA is trusted here, and Node checks the host name against the certificate.
  const agent = new Agent({ca: caPem, keepAlive: false})
  let answer
  try {
    answer = await postJson({agent, body: JSON.stringify(body), path: API.enroll, timeoutMs, url})
  } catch (error) {
    throw unreachable(error, url)
  } finally {
    agent.destroy()
  }
  if (answer.status === STATUS.unauthorized) throw new UserError('agent.tokenRefused', {}, EXIT.error)
  // Too many wrong tokens from this address (the collector's limit on guessing): say when to retry.
  if (answer.status === STATUS.tooManyRequests) throw new UserError('agent.enrollLimited', {seconds: answer.retryAfter ?? 60}, EXIT.error)
  if (answer.status !== STATUS.created) throw new UserError('agent.enrollFailed', {status: answer.status, error: errorText(answer)}, EXIT.error)

  const response = answer.body as {agent_id?: unknown; certificate_pem?: unknown; ca_certificate_pem?: unknown}
  const certPem = typeof response.certificate_pem === 'string' ? response.certificate_pem : ''
  if (!isAgentId(response.agent_id) || !validIssued(certPem, caPem, response.agent_id, publicPem)) {
    throw new UserError('agent.badCertificate', {}, EXIT.error)
  }
  // The collector's own copy of its CA must be the one pinned; anything else is a different collector.
  if (typeof response.ca_certificate_pem === 'string' && caFingerprint(response.ca_certificate_pem) !== fingerprint) {
    throw new UserError('agent.badCertificate', {}, EXIT.error)
  }

  const enrollment: Enrollment = {agent_id: response.agent_id, url: url.origin, ca_fingerprint: fingerprint, enrolled_at: new Date().toISOString()}
  ensureRootDir(paths.dir, 0o700)
  await writeFileAtomic(paths.key, keyPem, 0o600)
  await writeFileAtomic(paths.cert, certPem)
  await writeFileAtomic(paths.ca, caPem)
  // Written last: its presence means the three files above are complete.
  await writeFileAtomic(paths.enrollment, `${JSON.stringify(enrollment, null, 2)}\n`)
  return enrollment
}

/** The certificate is ours (our public key), for our agent id, and issued by the pinned CA. */
function validIssued(certPem: string, caPem: string, agentId: string, publicPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem)
    const ca = new X509Certificate(caPem)
    return cert.verify(ca.publicKey) && cert.publicKey.export({format: 'pem', type: 'spki'}).toString() === publicPem && cnOfSubject(cert.subject) === agentId
  } catch {
    return false
  }
}

function unreachable(error: unknown, url: URL): UserError {
  const code = error instanceof NetworkError ? error.code : (error as Error).message
  return new UserError('agent.unreachable', {url: url.origin, code}, EXIT.unreachable)
}
