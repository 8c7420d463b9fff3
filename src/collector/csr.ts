// Reading an agent's CSR before anything is signed, with Node's native crypto. An enrollment request
// comes from anyone on the network: the CSR is bounded in size, parsed by a small DER walker (no
// recursion beyond the three levels a CSR has), its key must be RSA 2048–4096 with e = 65537 or EC
// P-256, and only then is its signature verified natively. node-forge verified in pure JavaScript
// with the sender's own exponent: 6.8 KB of request cost 29 s of CPU.
import {createPublicKey, type KeyObject, verify} from 'node:crypto'

export class CsrError extends Error {}

/** A 4096-bit RSA CSR is ~1.7 KB of PEM; twice that leaves room for a long subject. */
export const MAX_CSR_PEM = 4096

export interface ParsedCsr {
  /** The SubjectPublicKeyInfo, DER, exactly as the agent sent it. */
  spki: Buffer
  key: KeyObject
  kind: 'ec' | 'rsa'
}

interface Tlv {
  tag: number
  /** The whole element: header and contents. */
  all: Buffer
  contents: Buffer
}

/** One DER element at `at`; definite lengths only, as DER requires. */
function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at]
  let length = der[at + 1]
  if (tag === undefined || length === undefined) throw new CsrError('the CSR is truncated')
  let header = 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    if (bytes === 0 || bytes > 3) throw new CsrError('the CSR has an invalid length')
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[at + 2 + i] ?? 0)
    header += bytes
  }
  const end = at + header + length
  if (end > der.length) throw new CsrError('the CSR is truncated')
  return {all: der.subarray(at, end), contents: der.subarray(at + header, end), tag}
}

function children(parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let at = 0; at < parent.contents.length; ) {
    const child = readTlv(parent.contents, at)
    out.push(child)
    at += child.all.length
  }
  return out
}

const SEQUENCE = 0x30
const BIT_STRING = 0x03

/** Signature algorithms accepted, by their DER-encoded OID, with the digest each names. */
const SIGNATURE_ALGORITHMS = new Map<string, {digest: string; kind: 'ec' | 'rsa'}>([
  ['06092a864886f70d01010b', {digest: 'sha256', kind: 'rsa'}], // sha256WithRSAEncryption
  ['06092a864886f70d01010c', {digest: 'sha384', kind: 'rsa'}], // sha384WithRSAEncryption
  ['06092a864886f70d01010d', {digest: 'sha512', kind: 'rsa'}], // sha512WithRSAEncryption
  ['06082a8648ce3d040302', {digest: 'sha256', kind: 'ec'}], // ecdsa-with-SHA256
])

function pemBody(pem: string): Buffer {
  const m = /^-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END (?:NEW )?CERTIFICATE REQUEST-----\s*$/.exec(pem.trim() + '\n')
  if (!m) throw new CsrError('csr_pem is not a PEM certificate signing request')
  return Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64')
}

/** The key policy: RSA 2048–4096 bits with e = 65537, or EC on P-256. */
function checkKey(key: KeyObject): 'ec' | 'rsa' {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0
    if (bits < 2048 || bits > 4096 || details.publicExponent !== 65_537n) throw new CsrError('the CSR key must be RSA of 2048 to 4096 bits with exponent 65537, or EC P-256')
    return 'rsa'
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ec'
  throw new CsrError('the CSR key must be RSA of 2048 to 4096 bits with exponent 65537, or EC P-256')
}

/** The CSR's key, once its size, shape, key policy and signature have all been checked. */
export function readCsr(pem: string): ParsedCsr {
  if (pem.length > MAX_CSR_PEM) throw new CsrError(`csr_pem is longer than ${MAX_CSR_PEM} characters`)
  const der = pemBody(pem)
  let outer: Tlv
  let info: Tlv
  let algorithm: Tlv
  let signature: Tlv
  let spki: Tlv
  try {
    outer = readTlv(der, 0)
    if (outer.tag !== SEQUENCE || outer.all.length !== der.length) throw new CsrError('csr_pem is not a PEM certificate signing request')
    ;[info, algorithm, signature] = children(outer) as [Tlv, Tlv, Tlv]
    if (info?.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE || signature?.tag !== BIT_STRING) throw new CsrError('csr_pem is not a PEM certificate signing request')
    // CertificationRequestInfo: version, subject, subjectPKInfo, [0] attributes.
    spki = children(info)[2] as Tlv
    if (spki?.tag !== SEQUENCE) throw new CsrError('csr_pem is not a PEM certificate signing request')
  } catch (error) {
    if (error instanceof CsrError) throw error
    throw new CsrError('csr_pem is not a PEM certificate signing request')
  }
  let key: KeyObject
  try {
    key = createPublicKey({format: 'der', key: spki.all, type: 'spki'})
  } catch {
    throw new CsrError('the CSR public key cannot be read')
  }
  const kind = checkKey(key)
  const oid = children(algorithm)[0]
  const scheme = oid ? SIGNATURE_ALGORITHMS.get(oid.all.toString('hex')) : undefined
  if (!scheme || scheme.kind !== kind) throw new CsrError('the CSR signature algorithm is not accepted (RSA or ECDSA with SHA-256/384/512)')
  // A BIT STRING's first byte counts unused bits: always 0 for a signature.
  if (signature.contents[0] !== 0 || !verify(scheme.digest, info.all, key, signature.contents.subarray(1))) throw new CsrError('the CSR signature does not verify')
  return {key, kind, spki: spki.all}
}
