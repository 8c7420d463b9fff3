// Enrolled agents for collector tests and the benchmark: a collector folder with an enrollment
// token in its database, agents enrolled through the agent's own `enroll` (or a bare CSR over the
// API), and minimal but valid report@1 and incident@1 documents for them.
import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type AgentIdentity, enroll, requireIdentity} from '../../src/agent/enrollment.js'
import {type AgentPaths, agentPaths} from '../../src/agent/paths.js'
import {enqueue} from '../../src/agent/queue.js'
import {initCollectorDir, newToken, sha256Hex} from '../../src/collector/collector-dir.js'
import {createCsr, type KeyAndCert, newRsaKeyPem} from '../../src/collector/pki.js'
import {API, INCIDENT_SCHEMA_ID, type IncidentNotice} from '../../src/collector/protocol.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'
import type {CallOptions, Reply} from './collector-client.js'

export interface PreparedCollector {
  /** The collector folder (`collector serve --dir`). */
  dir: string
  db: string
  caFingerprint: string
  adminToken: string
  /** An enrollment token good for `uses` agents, for an hour. */
  token: string
}

/** A fresh collector folder on 127.0.0.1 whose database (from `dbFor`) holds an enrollment token. */
export async function prepareCollector(prefix: string, dbFor: (dir: string) => Promise<string> | string, uses: number): Promise<PreparedCollector> {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'c')
  const init = initCollectorDir(dir, ['127.0.0.1'])
  const db = await dbFor(dir)
  const token = await insertEnrollToken(db, uses)
  return {adminToken: init.admin_token, caFingerprint: init.ca_fingerprint, db, dir, token}
}

/** A new enrollment token with `uses` uses, written through a store (a URL is opened and closed again). */
export async function insertEnrollToken(db: CollectorStore | string, uses: number): Promise<string> {
  const token = newToken('nmg_enroll')
  const store = typeof db === 'string' ? await openStore(db) : db
  try {
    await store.insertToken({expires_at: new Date(Date.now() + 3_600_000).toISOString(), hash: sha256Hex(token), uses_left: uses})
  } finally {
    if (typeof db === 'string') await store.close()
  }
  return token
}

export interface EnrolledAgent {
  identity: AgentIdentity
  paths: AgentPaths
}

/** An agent enrolled for real (`nm-guard enroll`: key, CSR, CA pinning) in its own temp folder. */
export async function enrollAgent(url: string, caFingerprint: string, token: string, prefix = 'nmg-agent-'): Promise<EnrolledAgent> {
  const paths = agentPaths(mkdtempSync(join(tmpdir(), prefix)))
  await enroll({caFingerprint, force: false, paths, token, url})
  return {identity: await requireIdentity(paths), paths}
}

export type CertifiedAgent = KeyAndCert & {agentId: string}

/** Enrolls over the API with a bare CSR: the key and certificate a test then presents as a client. */
export async function enrollOverApi(call: (path: string, options: CallOptions) => Promise<Reply>, token: string, hostname: string): Promise<CertifiedAgent> {
  const keyPem = newRsaKeyPem()
  const reply = await call(API.enroll, {body: {csr_pem: createCsr(keyPem, 'ignored'), hostname, token}})
  if (reply.status !== 201) throw new Error(`enrollment failed: ${reply.status} ${reply.text}`)
  return {agentId: String(reply.json.agent_id), certPem: String(reply.json.certificate_pem), keyPem}
}

/** A small valid report@1: one failing check (screen-lock) and one passing. */
export function sampleReport(agentId: null | string, generatedAt = '2026-01-10T08:00:00.000Z', overrides: Record<string, unknown> = {}): {report_id: string} & Record<string, unknown> {
  const text = {zh: '检查', en: 'check'}
  return {
    schema: 'nm-guard/report@1',
    report_id: randomUUID(),
    generated_at: generatedAt,
    agent: {id: agentId, hostname: 'gc-pc-01', platform: 'win32', nm_guard_version: '0.1.0'},
    host: {hostname: 'gc-pc-01', platform: 'win32', os_name: 'Windows 11', os_version: '10.0.22631', arch: 'x64'},
    unit: null,
    policy: {id: 'gaocheng-2023', version: '1', sha256: 'a'.repeat(64), title: text},
    facts: {collected_at: generatedAt, sha256: 'b'.repeat(64), unavailable: {}},
    summary: {pass: 1, fail: 1, error: 0, not_applicable: 0, score: 0.5},
    results: [
      {id: 'screen-lock', title: text, severity: 'high', status: 'fail', clause: {id: '四(二)-7', text: '设置屏幕锁定'}},
      {id: 'firewall-on', title: text, severity: 'high', status: 'pass', clause: {id: '四(二)-5', text: '开启防火墙'}},
    ],
    ...overrides,
  }
}

/** Queues `count` sample reports for the agent, one second apart from `from`; their ids in order. */
export async function queueSampleReports(agent: {identity: {agent_id: string}; paths: AgentPaths}, count: number, from: Date): Promise<string[]> {
  const ids: string[] = []
  for (let n = 0; n < count; n++) {
    const at = new Date(from.getTime() + n * 1000)
    const report = sampleReport(agent.identity.agent_id, at.toISOString())
    await enqueue(agent.paths, report, at)
    ids.push(report.report_id)
  }
  return ids
}

/** A valid incident@1 notice ('isolated' unless overridden). */
export function sampleNotice(agentId: null | string, overrides: Partial<IncidentNotice> = {}): IncidentNotice {
  return {
    schema: INCIDENT_SCHEMA_ID,
    notice_id: randomUUID(),
    incident_id: randomUUID(),
    event: 'isolated',
    at: '2026-01-10T09:00:00.000Z',
    hostname: 'gc-pc-01',
    agent_id: agentId,
    method: 'nftables',
    reason: '疑似账号被盗',
    evidence_sha256: 'd'.repeat(64),
    keep_collector: true,
    ...overrides,
  }
}
