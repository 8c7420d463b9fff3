// Pinning before trusting: the enrollment token may only travel to a server whose certificate was
// issued by the CA the administrator named by fingerprint. This probe reads the chain the server
// presents, sends nothing, and returns the CA certificate with that fingerprint; the real request
// then verifies the server against that CA alone (chain and host name, by Node's TLS).
import {type PeerCertificate, connect, type DetailedPeerCertificate} from 'node:tls'
import {X509Certificate} from 'node:crypto'

import {caFingerprint} from '../collector/protocol.js'
import {bareHost, isIp, NetworkError} from './https-request.js'

export class PinError extends Error {
  constructor(public readonly reason: 'chain' | 'host' | 'signature') {
    super(reason)
    this.name = 'PinError'
  }
}

export async function fetchPinnedCa(url: URL, fingerprint: string, timeoutMs: number): Promise<string> {
  const chain = await peerChain(url, timeoutMs)
  const [leaf] = chain
  const ca = chain.find((cert) => caFingerprint(cert.toString()) === fingerprint)
  if (!leaf || !ca) throw new PinError('chain')
  // checkIssued compares names; verify checks the signature itself.
  if (leaf !== ca && !(leaf.checkIssued(ca) && leaf.verify(ca.publicKey))) throw new PinError('signature')
  const host = bareHost(url)
  if (!(isIp(host) ? leaf.checkIP(host) : leaf.checkHost(host))) throw new PinError('host')
  return ca.toString()
}

/** The certificates the server sent, leaf first. */
function peerChain(url: URL, timeoutMs: number): Promise<X509Certificate[]> {
  return new Promise((resolve, reject) => {
    const host = bareHost(url)
    const socket = connect({
      host,
      port: Number(url.port || 443),
      // Nothing is trusted yet: the pin below is the trust decision, and nothing is written.
      rejectUnauthorized: false,
      servername: isIp(host) ? undefined : host,
    })
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})))
    socket.once('error', (error: NodeJS.ErrnoException) => reject(new NetworkError(error.code ?? error.message)))
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = []
      const seen = new Set<string>()
      let cert: DetailedPeerCertificate | PeerCertificate | undefined = socket.getPeerCertificate(true)
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256)
        chain.push(new X509Certificate(cert.raw))
        cert = (cert as DetailedPeerCertificate).issuerCertificate
      }
      socket.end()
      resolve(chain)
    })
  })
}
