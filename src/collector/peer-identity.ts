// Who is on the other end of a TLS connection: the agent our CA certified, still enrolled and not
// revoked. Browsers and enrolling PCs present no certificate; only agent routes ask for one.
import type {IncomingMessage} from 'node:http'
import type {TLSSocket} from 'node:tls'

import {HttpError} from './http/http-error.js'
import {derFingerprint, STATUS} from './protocol.js'
import type {CollectorStore} from './store/types.js'

interface PeerIdentity {
  agentId: null | string
  fingerprint: string
}

/**
 * The client certificate's CN and DER fingerprint, worked out once per TLS connection: the
 * certificate cannot change on a connection (we never renegotiate), and getPeerCertificate()
 * builds a fresh object tree on every call. Revocation is still checked on every request.
 */
const peerIdentities = new WeakMap<TLSSocket, null | PeerIdentity>()

function peerIdentity(socket: TLSSocket): null | PeerIdentity {
  let identity = peerIdentities.get(socket)
  if (identity === undefined) {
    const peer = socket.getPeerCertificate()
    // authorized: the chain ends at our CA (the only one in `ca`); self-signed or foreign fail here.
    identity = peer?.raw && socket.authorized ? {agentId: typeof peer.subject?.CN === 'string' ? peer.subject.CN : null, fingerprint: derFingerprint(peer.raw)} : null
    peerIdentities.set(socket, identity)
  }
  return identity
}

/** The enrolled, unrevoked agent behind this connection's client certificate, or a 401/403. */
export async function certifiedAgent(store: CollectorStore, req: IncomingMessage): Promise<string> {
  const peer = peerIdentity(req.socket as TLSSocket)
  if (!peer) throw new HttpError(STATUS.unauthorized, 'a client certificate issued by this collector is required')
  const agent = peer.agentId ? await store.getAgent(peer.agentId) : null
  if (!agent || agent.cert_fingerprint !== peer.fingerprint) throw new HttpError(STATUS.forbidden, 'this certificate belongs to no enrolled agent')
  if (agent.revoked_at !== null) throw new HttpError(STATUS.forbidden, 'this agent has been revoked')
  return agent.agent_id
}
