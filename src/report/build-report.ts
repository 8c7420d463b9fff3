// The report contract (nm-guard/report@1): self-contained, and never a secret in it.
import {createHash, randomUUID} from 'node:crypto'

import {stringify} from 'safe-stable-stringify'

import {packageVersion} from '../config/package-version.js'
import type {FactsSnapshot, HostInfo} from '../facts/types.js'
import {type CheckResult, evaluate, type Summary, summarise} from '../policy/evaluate.js'
import type {LoadedPolicy, Text} from '../policy/types.js'
import {type People, peopleOf} from './people.js'

export interface Report {
  schema: 'nm-guard/report@1'
  report_id: string
  generated_at: string
  agent: {id: null | string; hostname: string; platform: string; nm_guard_version: string}
  host: HostInfo
  unit: null | Text
  /** The PC's asset number (`audit --asset`, or ASSET_NUMBER in agent.conf); absent from older reports. */
  asset?: null | string
  /** Who the signed copy is about; absent from older reports. */
  people?: People
  policy: {id: string; version: string; sha256: string; title: Text}
  facts: {collected_at: string; sha256: string; unavailable: Record<string, string>}
  summary: Summary
  results: CheckResult[]
}

export interface ReportOptions {
  agentId?: null | string
  now?: Date
  asset?: null | string
}

export function buildReport(facts: FactsSnapshot, loaded: LoadedPolicy, options: ReportOptions = {}): Report {
  const results = evaluate(facts, loaded.policy)
  const unavailable: Record<string, string> = {}
  for (const [name, table] of Object.entries(facts.tables)) if ('error' in table) unavailable[name] = table.error
  // Keys in the order of the contract, so the JSON reads top-down.
  return {
    schema: 'nm-guard/report@1',
    report_id: randomUUID(),
    generated_at: (options.now ?? new Date()).toISOString(),
    agent: {id: options.agentId ?? null, hostname: facts.host.hostname, platform: facts.host.platform, nm_guard_version: packageVersion()},
    host: facts.host,
    unit: loaded.policy.policy.unit ?? null,
    asset: options.asset ?? null,
    people: peopleOf(facts),
    policy: {id: loaded.policy.policy.id, version: loaded.policy.policy.version, sha256: loaded.sha256, title: loaded.policy.policy.title},
    facts: {collected_at: facts.collected_at, sha256: factsDigest(facts), unavailable},
    summary: summarise(results),
    results,
  }
}

/** SHA-256 of the snapshot in canonical JSON (sorted keys), so equal facts give equal digests. */
export function factsDigest(facts: FactsSnapshot): string {
  return createHash('sha256')
    .update(stringify(facts) ?? '')
    .digest('hex')
}
