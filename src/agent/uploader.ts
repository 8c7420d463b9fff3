// Report and incident-notice upload over mutual TLS: the agent's key and certificate as the client certificate, and the
// pinned CA as the only trust anchor, so a server that CA did not issue is refused. One keep-alive
// agent serves a whole flush.
import {Agent} from 'node:https'
import {connect, type ConnectionOptions} from 'node:tls'

import type {AgentIdentity} from './enrollment.js'
import {bareHost, isIp, type JsonAnswer, pinnedLookup, postJson} from './https-request.js'

export interface Uploader {
  /** POSTs one JSON document to `path` (API.reports, API.incidents). */
  send(body: string, path: string): Promise<JsonAnswer>
  close(): void
}

/**
 * The TLS side of every upload. `addresses`: the collector's addresses resolved before an incident
 * cut DNS (the journal's kept collector); the URL's host name still names the server for SNI and
 * for the certificate check, so the pinned CA and the name are checked exactly as without them.
 */
export function uploadTls(identity: Pick<AgentIdentity, 'caPem' | 'certPem' | 'keyPem' | 'url'>, addresses: null | readonly string[] = null): ConnectionOptions {
  const host = bareHost(new URL(identity.url))
  return {
    ca: identity.caPem,
    cert: identity.certPem,
    key: identity.keyPem,
    ...(addresses && !isIp(host) ? {lookup: pinnedLookup(host, addresses)} : {}),
  }
}

export function createUploader(identity: AgentIdentity, timeoutMs: number, addresses: null | readonly string[] = null): Uploader {
  const url = new URL(identity.url)
  const agent = new Agent({...uploadTls(identity, addresses), keepAlive: true, maxSockets: 1})
  return {
    send: (body, path) => postJson({agent, body, path, timeoutMs, url}),
    close: () => agent.destroy(),
  }
}

/**
 * Whether the collector completes a TLS handshake the way an upload would make it: same addresses,
 * same name for SNI and the certificate, same pinned CA and client certificate. A refused or
 * unverifiable server, or silence within timeoutMs, is false.
 */
export function handshakes(identity: Pick<AgentIdentity, 'caPem' | 'certPem' | 'keyPem' | 'url'>, addresses: null | readonly string[], timeoutMs: number): Promise<boolean> {
  const url = new URL(identity.url)
  const host = bareHost(url)
  return new Promise((resolve) => {
    const socket = connect({...uploadTls(identity, addresses), host, port: Number(url.port || 443), servername: isIp(host) ? undefined : host})
    const done = (answered: boolean): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answered)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    // rejectUnauthorized is on (the default): secureConnect only follows a verified chain and name.
    socket.once('secureConnect', () => done(socket.authorized))
    socket.once('error', () => done(false))
  })
}
