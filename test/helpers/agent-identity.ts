// An enrolled agent identity on disk (enrollment.json, key, certificate, pinned CA) issued by a
// test CA, for an agent whose collector URL the test chooses (a name no DNS knows, for one).
import {randomUUID} from 'node:crypto'
import {mkdirSync, writeFileSync} from 'node:fs'

import {agentPaths} from '../../src/agent/paths.js'
import {createCsr, newRsaKeyPem} from '../../src/collector/pki.js'
import type {TestCa} from './test-collector.js'

/** Writes the identity under the state root `root`; returns the agent id (its certificate's CN). */
export function writeAgentIdentity(root: string, url: string, ca: TestCa): string {
  const paths = agentPaths(root)
  const agentId = randomUUID()
  const keyPem = newRsaKeyPem()
  mkdirSync(paths.dir, {mode: 0o700, recursive: true})
  writeFileSync(paths.key, keyPem, {mode: 0o600})
  writeFileSync(paths.cert, ca.signCsr(createCsr(keyPem, agentId), agentId))
  writeFileSync(paths.ca, ca.certPem)
  writeFileSync(paths.enrollment, JSON.stringify({agent_id: agentId, ca_fingerprint: ca.fingerprint, enrolled_at: new Date().toISOString(), url}))
  return agentId
}
