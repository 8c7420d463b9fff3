// Where the agent keeps its identity and its offline queue, under the state dir (DESIGN.md).
import {join} from 'node:path'

import {stateDir} from '../config/state-dir.js'

export interface AgentPaths {
  dir: string
  key: string
  cert: string
  ca: string
  enrollment: string
  queue: string
  rejected: string
}

export function agentPaths(root: string = stateDir()): AgentPaths {
  const dir = join(root, 'agent')
  const queue = join(root, 'queue')
  return {
    dir,
    key: join(dir, 'agent.key.pem'),
    cert: join(dir, 'agent.cert.pem'),
    ca: join(dir, 'ca.cert.pem'),
    enrollment: join(dir, 'enrollment.json'),
    queue,
    rejected: join(queue, 'rejected'),
  }
}
