// Glue between disconnect and the evidence module: sign with the agent key when enrolled, else with
// a local key made for the purpose (DESIGN.md), and run every item with its own timeout.
import {agentPaths} from '../agent/paths.js'
import type {Exec, Platform} from '../facts/types.js'
import {collectEvidence} from './evidence/collect.js'
import {loadSigner, localSigningKeyPath} from './evidence/signer.js'
import type {EvidenceManifest} from './types.js'

export interface IncidentEvidenceOptions {
  dir: string
  exec: Exec
  hostname: string
  incidentId: string
  now: () => Date
  platform: Platform
  root: string
}

export async function collectIncidentEvidence(options: IncidentEvidenceOptions): Promise<{manifest: EvidenceManifest; manifestSha256: string}> {
  const signer = await loadSigner({agentPaths: agentPaths(options.root), localKeyPath: localSigningKeyPath(options.root)})
  const itemTimeoutMs = Number(process.env.NMG_EVIDENCE_ITEM_TIMEOUT_MS) || undefined
  const {manifest, manifestSha256} = await collectEvidence({
    dir: options.dir,
    exec: options.exec,
    hostname: options.hostname,
    incidentId: options.incidentId,
    itemTimeoutMs,
    now: options.now,
    platform: options.platform,
    signer,
    stateDir: options.root,
  })
  return {manifest, manifestSha256}
}
