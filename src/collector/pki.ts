// The collector's own small PKI: a CA, a server certificate for every name the agents use, and
// agent certificates signed from their CSRs. Keys come from Node's crypto (forge's JS keygen is
// ~1 s a key); forge only builds and signs the certificates.
import {createPublicKey, generateKeyPairSync, randomBytes, sign} from 'node:crypto'
import {isIP} from 'node:net'

import forge from 'node-forge'

import {readCsr} from './csr.js'
import {AGENT_ORGANIZATION} from './protocol.js'

const {asn1, pki} = forge

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

export {CsrError} from './csr.js'

export interface SignedAgentCert {
  certPem: string
  serial: string
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11'

interface Issue {
  /** The subject key, SubjectPublicKeyInfo DER (RSA or P-256). */
  spki: Buffer
  subject: forge.pki.CertificateField[]
  extensions: object[]
  years: number
  now: Date
}

/**
 * A certificate signed by the CA, for any subject key. forge lays it out around a stand-in key (it
 * knows RSA keys only); the real SubjectPublicKeyInfo then goes in as given, and Node signs it.
 */
function issue(ca: KeyAndCert, {extensions, now, spki, subject, years}: Issue): SignedAgentCert {
  const caCert = pki.certificateFromPem(ca.certPem)
  const cert = pki.createCertificate()
  cert.publicKey = caCert.publicKey
  cert.serialNumber = serial()
  validity(cert, years, now)
  cert.setSubject(subject)
  cert.setIssuer(caCert.subject.attributes)
  cert.setExtensions(extensions)
  cert.signatureOid = SHA256_WITH_RSA
  cert.siginfo.algorithmOid = SHA256_WITH_RSA
  const tbs = (pki as unknown as {getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1}).getTBSCertificate(cert)
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  ;(tbs.value as forge.asn1.Asn1[])[6] = asn1.fromDer(forge.util.createBuffer(spki.toString('binary')))
  const signature = sign('sha256', Buffer.from(asn1.toDer(tbs).getBytes(), 'binary'), ca.keyPem)
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ])
  const whole = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`)])
  return {certPem: forge.pem.encode({body: asn1.toDer(whole).getBytes(), type: 'CERTIFICATE'}, {maxline: 64}), serial: cert.serialNumber}
}

/** Server certificate with a SAN for every host: IP addresses as iPAddress, the rest as dNSName. */
export function createServerCert(ca: KeyAndCert, hosts: string[], now = new Date()): KeyAndCert {
  if (hosts.length === 0) throw new Error('a server certificate needs at least one host')
  // P-256, not RSA: the server signs once per TLS handshake, and an ECDSA signature costs a small
  // fraction of an RSA-2048 one, which keeps the collector answering while handshakes pile up.
  const keyPem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
  const {certPem} = issue(ca, {
    extensions: [
      {name: 'basicConstraints', cA: false},
      {name: 'keyUsage', digitalSignature: true, critical: true},
      {name: 'extKeyUsage', serverAuth: true},
      {name: 'subjectAltName', altNames: hosts.map((host) => (isIP(host) ? {type: 7, ip: host} : {type: 2, value: host}))},
    ],
    now,
    spki: createPublicKey(keyPem).export({format: 'der', type: 'spki'}),
    subject: [{name: 'commonName', value: hosts[0] as string}],
    years: SERVER_YEARS,
  })
  return {certPem, keyPem}
}

/**
 * Signs an agent's CSR (checked first by readCsr: size, key policy, signature, all native). Only its
 * public key is taken from it: the subject is ours (CN = the id we assigned), so an agent cannot
 * pick its own identity. RSA and P-256 keys alike.
 */
export function signAgentCsr(ca: KeyAndCert, csrPem: string, agentId: string, now = new Date()): SignedAgentCert {
  const {spki} = readCsr(csrPem)
  return issue(ca, {
    extensions: [
      {name: 'basicConstraints', cA: false},
      {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
      {name: 'extKeyUsage', clientAuth: true},
    ],
    now,
    spki,
    subject: [
      {name: 'commonName', value: agentId},
      {name: 'organizationName', value: AGENT_ORGANIZATION},
    ],
    years: AGENT_YEARS,
  })
}

/** PrintableString's alphabet (X.680); anything else in a name must be a UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/

/**
 * The CN with the string type it needs: forge writes a PrintableString (its default) as raw bytes,
 * one per UTF-16 unit, so a CJK name came out with a length that did not match its bytes. For a
 * UTF8String forge encodes the value itself.
 */
function commonNameAttribute(commonName: string): {name: string; value: string; valueTagClass?: number} {
  if (PRINTABLE.test(commonName)) return {name: 'commonName', value: commonName}
  return {name: 'commonName', value: commonName, valueTagClass: asn1.Type.UTF8}
}

/** A CSR for `keyPem` (used by tests and by the agent side). */
export function createCsr(keyPem: string, commonName: string): string {
  const {privateKey, publicKey} = keysOf(keyPem)
  const csr = pki.createCertificationRequest()
  csr.publicKey = publicKey
  csr.setSubject([commonNameAttribute(commonName)])
  csr.sign(privateKey, forge.md.sha256.create())
  return pki.certificationRequestToPem(csr)
}
