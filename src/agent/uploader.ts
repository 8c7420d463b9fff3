// Report and incident-notice upload over mutual TLS: the agent's key and certificate as the client certificate, and the
// pinned CA as the only trust anchor, so a server that CA did not issue is refused. One keep-alive
// agent serves a whole flush.
import {Agent} from 'node:https'

import type {AgentIdentity} from './enrollment.js'
import {type JsonAnswer, postJson} from './https-request.js'

export interface Uploader {
  /** POSTs one JSON document to `path` (API.reports, API.incidents). */
  send(body: string, path: string): Promise<JsonAnswer>
  close(): void
}

export function createUploader(identity: AgentIdentity, timeoutMs: number): Uploader {
  const url = new URL(identity.url)
  const agent = new Agent({ca: identity.caPem, cert: identity.certPem, keepAlive: true, key: identity.keyPem, maxSockets: 1})
  return {
    send: (body, path) => postJson({agent, body, path, timeoutMs, url}),
    close: () => agent.destroy(),
  }
}
