// The enrolled identity on disk (enrollment.json, key, certificate, pinned CA). Kept apart from
// enrollment itself so commands that only read it (disconnect must be fast) skip node-forge.
import {readFile} from 'node:fs/promises'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {isAgentId} from '../collector/protocol.js'
import {type AgentPaths, agentPaths} from './paths.js'

export interface Enrollment {
  agent_id: string
  url: string
  ca_fingerprint: string
  enrolled_at: string
}

export interface AgentIdentity extends Enrollment {
  keyPem: string
  certPem: string
  caPem: string
}

export async function loadEnrollment(paths: AgentPaths = agentPaths()): Promise<Enrollment | null> {
  let text: string
  try {
    text = await readFile(paths.enrollment, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const data = JSON.parse(text) as Enrollment
    if (isAgentId(data.agent_id) && typeof data.url === 'string') return data
  } catch {
    // fall through: a damaged file is reported like a missing enrollment, with its path
  }
  throw new UserError('agent.badEnrollment', {file: paths.enrollment}, EXIT.error)
}

/** The enrolled identity, or exit 1 with a clear line when this PC was never enrolled. */
export async function requireIdentity(paths: AgentPaths = agentPaths()): Promise<AgentIdentity> {
  const enrollment = await loadEnrollment(paths)
  if (!enrollment) throw new UserError('agent.notEnrolled', {}, EXIT.error)
  try {
    const [keyPem, certPem, caPem] = await Promise.all([readFile(paths.key, 'utf8'), readFile(paths.cert, 'utf8'), readFile(paths.ca, 'utf8')])
    return {...enrollment, caPem, certPem, keyPem}
  } catch {
    throw new UserError('agent.badEnrollment', {file: paths.dir}, EXIT.error)
  }
}
