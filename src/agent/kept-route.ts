// While disconnect --keep-collector holds, DNS is cut with everything else: every upload (the
// incident notices, reports flushed meanwhile) goes to the addresses the journal recorded for the
// collector before the cut, so it needs no lookup the cut would block (#11 2.3).
import {dirname} from 'node:path'

import {readJournal} from '../incident/journal.js'
import type {AgentPaths} from './paths.js'

/**
 * The open incident's kept collector addresses when they are this agent's collector; null when
 * no incident keeps it (uploads then resolve the name as usual). A journal that cannot be read
 * never stops an upload: it is reported by `incident status` and reconnect.
 */
export async function keptAddresses(url: string, paths: AgentPaths): Promise<null | string[]> {
  // agentPaths(root) puts the agent folder directly under the state root, beside incident/.
  const journal = await readJournal(dirname(paths.dir)).catch(() => null)
  const keep = journal?.keep_collector
  if (!keep || keep.addresses.length === 0) return null
  try {
    return new URL(keep.url).origin === new URL(url).origin ? [...keep.addresses] : null
  } catch {
    return null
  }
}
