// A real collector in the test process: a fresh collector folder (CA, server certificate, admin
// token), a migrated store, and the HTTPS server on a free loopback port.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {AuthLimits, AuthScope} from '../../src/collector/auth-limiter.js'
import {initCollectorDir, loadCollectorDir} from '../../src/collector/collector-dir.js'
import {DEFAULT_STALE_DAYS} from '../../src/collector/fleet.js'
import type {KeyAndCert} from '../../src/collector/pki.js'
import {type RunningCollector, startCollector} from '../../src/collector/server.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'
import {type CallOptions, callCollector, type Reply} from './collector-client.js'

export interface CollectorInstance {
  dir: string
  ca: KeyAndCert
  adminToken: string
  store: CollectorStore
  running: RunningCollector
  /** An agent or admin request, trusting only this collector's CA. */
  call(path: string, options?: CallOptions): Promise<Reply>
  close(): Promise<void>
}

export interface InstanceOptions {
  /** The database URL; SQLite in the collector folder when absent. */
  db?: (dir: string) => Promise<string> | string
  now?: () => Date
  staleDays?: number
  /** Limits on failed authentication; loose unless a test is about them (LOOSE_AUTH_LIMITS). */
  authLimits?: Record<AuthScope, AuthLimits>
}

/** Enough for any test that is not about guessing: hundreds of refusals from 127.0.0.1. */
export const LOOSE_AUTH_LIMITS: Record<AuthScope, AuthLimits> = {
  'api-admin': {maxFailures: 10_000, windowMs: 60_000},
  'dashboard-login': {maxFailures: 10_000, windowMs: 60_000},
  enroll: {maxFailures: 10_000, windowMs: 60_000},
}

export async function startTestCollector(prefix: string, options: InstanceOptions = {}): Promise<CollectorInstance> {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'c')
  const adminToken = initCollectorDir(dir, ['127.0.0.1', 'localhost']).admin_token
  const loaded = loadCollectorDir(dir)
  const store = await openStore(options.db ? await options.db(dir) : `sqlite:${join(dir, 'collector.db')}`)
  const running = await startCollector({adminTokenSha256: loaded.settings.admin_token_sha256, ca: loaded.ca, now: options.now, server: loaded.server, staleDays: options.staleDays ?? DEFAULT_STALE_DAYS, store, authLimits: options.authLimits ?? LOOSE_AUTH_LIMITS}, 0, '127.0.0.1')
  return {
    adminToken,
    ca: loaded.ca,
    call: (path, callOptions = {}) => callCollector(running.port, loaded.ca.certPem, path, callOptions),
    async close() {
      await running.close()
      await store.close()
    },
    dir,
    running,
    store,
  }
}
