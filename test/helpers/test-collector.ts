// A small test-only collector: real mutual TLS on 127.0.0.1, a CA made with node-forge, and just
// enough of the wire contract (enroll with one fixed token, reports stored by report_id) to test
// the agent. Switches make it answer a fixed status, close the connection, or never answer.
import {generateKeyPairSync, randomUUID} from 'node:crypto'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'
import type {TLSSocket} from 'node:tls'

import forge from 'node-forge'

import {AGENT_ORGANIZATION, API, caFingerprint, INCIDENT_SCHEMA_ID} from '../../src/collector/protocol.js'

export interface Pem {
  keyPem: string
  certPem: string
}

function keyPair(): {privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string} {
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const keyPem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey
  return {keyPem, privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e)}
}

function certificate(subject: forge.pki.CertificateField[], publicKey: forge.pki.PublicKey, issuer: {cert?: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey}, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 86_400_000)
  cert.setSubject(subject)
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : subject)
  cert.setExtensions(extensions)
  cert.sign(issuer.key, forge.md.sha256.create())
  return cert
}

export class TestCa {
  readonly keyPem: string
  readonly certPem: string
  readonly fingerprint: string
  private readonly key: forge.pki.rsa.PrivateKey
  private readonly cert: forge.pki.Certificate

  constructor(name = 'nm-guard test CA') {
    const pair = keyPair()
    this.key = pair.privateKey
    this.keyPem = pair.keyPem
    this.cert = certificate([{name: 'commonName', value: name}], pair.publicKey, {key: pair.privateKey}, [
      {cA: true, critical: true, name: 'basicConstraints'},
      {critical: true, keyCertSign: true, name: 'keyUsage', cRLSign: true},
    ])
    this.certPem = forge.pki.certificateToPem(this.cert)
    this.fingerprint = caFingerprint(this.certPem)
  }

  server(hosts: {dns?: string[]; ip?: string[]}): Pem {
    const pair = keyPair()
    const altNames = [...(hosts.dns ?? []).map((value) => ({type: 2, value})), ...(hosts.ip ?? []).map((ip) => ({ip, type: 7}))]
    const cert = certificate([{name: 'commonName', value: 'collector'}], pair.publicKey, {cert: this.cert, key: this.key}, [
      {name: 'subjectAltName', altNames},
      {name: 'extKeyUsage', serverAuth: true},
    ])
    return {certPem: forge.pki.certificateToPem(cert), keyPem: pair.keyPem}
  }

  signCsr(csrPem: string, agentId: string): string {
    const csr = forge.pki.certificationRequestFromPem(csrPem)
    if (!csr.verify()) throw new Error('bad CSR signature')
    const cert = certificate(
      [
        {name: 'commonName', value: agentId},
        {name: 'organizationName', value: AGENT_ORGANIZATION},
      ],
      csr.publicKey as forge.pki.PublicKey,
      {cert: this.cert, key: this.key},
      [{name: 'extKeyUsage', clientAuth: true}],
    )
    return forge.pki.certificateToPem(cert)
  }
}

export type Mode = {kind: 'close'} | {kind: 'hang'} | {kind: 'ok'} | {kind: 'status'; status: number}

export const TEST_TOKEN = 'tok-3b7f1c2e9d0a4f5e8b6c'

export class TestCollector {
  mode: Mode = {kind: 'ok'}
  /** Every request body the server received, whatever the path. */
  readonly bodies: string[] = []
  /** report_ids stored, in the order they arrived. */
  readonly stored: string[] = []
  /** Incident notice_ids stored, in the order they arrived. */
  readonly notices: string[] = []
  /** `path id` of every report or notice that arrived (stored or not), in order: what went where. */
  readonly arrivals: string[] = []
  /** Client certificate CNs seen on /api/v1/reports and /api/v1/incidents. */
  readonly clientCns: string[] = []
  /** Called when a report body has fully arrived (before any answer). */
  onReport?: () => void
  port = 0
  private server?: Server
  private readonly tls: Pem
  private readonly sendChain: boolean

  constructor(
    readonly ca: TestCa = new TestCa(),
    options: {dns?: string[]; ip?: string[]; sendChain?: boolean; extraChainPem?: string} = {},
  ) {
    const server = ca.server({dns: options.dns ?? ['localhost'], ip: options.ip ?? ['127.0.0.1']})
    // The CA travels with the server certificate so the agent can pin it before sending a token.
    this.sendChain = options.sendChain !== false
    this.tls = {certPem: this.sendChain ? server.certPem + (options.extraChainPem ?? ca.certPem) : server.certPem, keyPem: server.keyPem}
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`
  }

  async start(port = 0): Promise<void> {
    // OpenSSL completes the chain from the client-certificate CA store on its own, so a server that
    // must not send its CA gets no store (and cannot take reports).
    const trust = this.sendChain ? {ca: this.ca.certPem, requestCert: true} : {}
    const server = createServer({...trust, cert: this.tls.certPem, key: this.tls.keyPem, rejectUnauthorized: false}, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        this.bodies.push(body)
        const reply = (status: number, data: unknown) => {
          res.writeHead(status, {'content-type': 'application/json'})
          res.end(JSON.stringify(data))
        }
        if (req.url === '/api/v1/enroll') {
          const request = JSON.parse(body) as {token: string; csr_pem: string}
          if (request.token !== TEST_TOKEN) return reply(401, {error: 'unknown token'})
          const agentId = randomUUID()
          return reply(201, {agent_id: agentId, ca_certificate_pem: this.ca.certPem, certificate_pem: this.ca.signCsr(request.csr_pem, agentId)})
        }
        if (req.url !== API.reports && req.url !== API.incidents) return reply(404, {error: 'not found'})
        const socket = req.socket as TLSSocket
        if (!socket.authorized) return reply(401, {error: 'client certificate required'})
        const cn = socket.getPeerCertificate().subject.CN
        this.clientCns.push(String(cn))
        this.onReport?.()
        if (this.mode.kind === 'hang') return
        if (this.mode.kind === 'close') return socket.destroy()
        if (this.mode.kind === 'status') return reply(this.mode.status, {error: `test status ${this.mode.status}`})
        const doc = JSON.parse(body) as {schema?: string; report_id?: string; notice_id?: string; agent?: {id: string}; agent_id?: null | string}
        // The real collector checks each path's schema; this one checks that the agent sent each document to its own path.
        const isNotice = req.url === API.incidents
        if ((doc.schema === INCIDENT_SCHEMA_ID) !== isNotice) return reply(400, {error: `wrong document for ${req.url}`})
        const id = String(isNotice ? doc.notice_id : doc.report_id)
        this.arrivals.push(`${req.url} ${id}`)
        if ((isNotice ? doc.agent_id : doc.agent?.id) !== cn) return reply(403, {error: 'agent id does not match the certificate'})
        const stored = isNotice ? this.notices : this.stored
        const key = isNotice ? 'notice_id' : 'report_id'
        if (stored.includes(id)) return reply(200, {[key]: id, stored: false})
        stored.push(id)
        return reply(201, {[key]: id, stored: true})
      })
    })
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    this.server = server
    this.port = (server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
