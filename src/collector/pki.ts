// The collector's own small PKI: a CA, a server certificate for every name the agents use, and
// agent certificates signed from their CSRs. Keys come from Node's crypto (forge's JS keygen is
// ~1 s a key); forge only builds and signs the certificates.
import {generateKeyPairSync, randomBytes} from 'node:crypto'
import {isIP} from 'node:net'

import forge from 'node-forge'

import {AGENT_ORGANIZATION} from './protocol.js'

const {pki} = forge

export interface KeyAndCert {
  keyPem: string
  certPem: string
}

const CA_YEARS = 10
const SERVER_YEARS = 5
const AGENT_YEARS = 2

export function newRsaKeyPem(): string {
  return generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
}

function keysOf(keyPem: string): {privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey} {
  const privateKey = pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey
  return {privateKey, publicKey: pki.rsa.setPublicKey(privateKey.n, privateKey.e)}
}

/** A random 16-byte serial: first byte 0x40–0x7f, so DER needs neither a sign byte nor trimming. */
function serial(): string {
  const bytes = randomBytes(16)
  bytes[0] = ((bytes[0] as number) & 0x3f) | 0x40
  return bytes.toString('hex')
}

function validity(cert: forge.pki.Certificate, years: number, now: Date): void {
  // A minute of slack for agents whose clocks run a little behind the collector's.
  cert.validity.notBefore = new Date(now.getTime() - 60_000)
  const notAfter = new Date(now)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years)
  cert.validity.notAfter = notAfter
}

export function createCa(commonName = 'nm-guard collector CA', now = new Date()): KeyAndCert {
  const keyPem = newRsaKeyPem()
  const {privateKey, publicKey} = keysOf(keyPem)
  const cert = pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serial()
  validity(cert, CA_YEARS, now)
  const subject = [{name: 'commonName', value: commonName}, {name: 'organizationName', value: 'nm-guard'}]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ])
  cert.sign(privateKey, forge.md.sha256.create())
  return {keyPem, certPem: pki.certificateToPem(cert)}
}

/** Server certificate with a SAN for every host: IP addresses as iPAddress, the rest as dNSName. */
export function createServerCert(ca: KeyAndCert, hosts: string[], now = new Date()): KeyAndCert {
  if (hosts.length === 0) throw new Error('a server certificate needs at least one host')
  const keyPem = newRsaKeyPem()
  const {publicKey} = keysOf(keyPem)
  const caCert = pki.certificateFromPem(ca.certPem)
  const cert = pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = serial()
  validity(cert, SERVER_YEARS, now)
  cert.setSubject([{name: 'commonName', value: hosts[0] as string}])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: true},
    {name: 'subjectAltName', altNames: hosts.map((host) => (isIP(host) ? {type: 7, ip: host} : {type: 2, value: host}))},
  ])
  cert.sign(keysOf(ca.keyPem).privateKey, forge.md.sha256.create())
  return {keyPem, certPem: pki.certificateToPem(cert)}
}

export class CsrError extends Error {}

export interface SignedAgentCert {
  certPem: string
  serial: string
}

/**
 * Signs an agent's CSR. Only its public key is taken from it: the subject is ours (CN = the id we
 * assigned), so an agent cannot pick its own identity.
 */
export function signAgentCsr(ca: KeyAndCert, csrPem: string, agentId: string, now = new Date()): SignedAgentCert {
  let csr: forge.pki.CertificateSigningRequest
  try {
    csr = pki.certificationRequestFromPem(csrPem)
  } catch {
    throw new CsrError('csr_pem is not a PEM certificate signing request')
  }
  let valid = false
  try {
    valid = csr.verify()
  } catch {
    valid = false
  }
  if (!valid || !csr.publicKey) throw new CsrError('the CSR signature does not verify')
  const rsaKey = csr.publicKey as forge.pki.rsa.PublicKey
  if (!rsaKey.n || rsaKey.n.bitLength() < 2048) throw new CsrError('the CSR key must be RSA of at least 2048 bits')
  const caCert = pki.certificateFromPem(ca.certPem)
  const cert = pki.createCertificate()
  cert.publicKey = csr.publicKey
  cert.serialNumber = serial()
  validity(cert, AGENT_YEARS, now)
  cert.setSubject([
    {name: 'commonName', value: agentId},
    {name: 'organizationName', value: AGENT_ORGANIZATION},
  ])
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', clientAuth: true},
  ])
  cert.sign(keysOf(ca.keyPem).privateKey, forge.md.sha256.create())
  return {certPem: pki.certificateToPem(cert), serial: cert.serialNumber}
}

/** A CSR for `keyPem` (used by tests and by the agent side). */
export function createCsr(keyPem: string, commonName: string): string {
  const {privateKey, publicKey} = keysOf(keyPem)
  const csr = pki.createCertificationRequest()
  csr.publicKey = publicKey
  csr.setSubject([{name: 'commonName', value: commonName}])
  csr.sign(privateKey, forge.md.sha256.create())
  return pki.certificationRequestToPem(csr)
}
