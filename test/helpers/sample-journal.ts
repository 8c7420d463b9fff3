// A complete incident journal as `disconnect` leaves it after an nftables cut, for tests that need
// one on disk without cutting anything.
import {join} from 'node:path'

import type {Journal} from '../../src/incident/types.js'

export function sampleJournal(root: string, overrides: Partial<Journal> = {}): Journal {
  return {
    evidence_dir: join(root, 'evidence'),
    hostname: 'gc-xmt-01',
    incident_id: '5f0c8a52-7d8e-4f0b-9a8e-3c1d2b4a6e7f',
    isolated_at: '2026-11-27T08:00:01.000Z',
    isolation_ms: 412,
    keep_collector: null,
    method: 'nftables',
    phase: 'done',
    platform: 'linux',
    reason: null,
    report_path: null,
    saved: {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: '', platform: 'linux', routes: []},
    schema: 'nm-guard/incident-journal@1',
    started_at: '2026-11-27T08:00:00.500Z',
    timeline: [],
    ...overrides,
  }
}
