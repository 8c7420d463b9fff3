// CSRs no honest agent makes, built byte by byte: any key (a 16,384-bit modulus, a 4,096-bit
// exponent, P-384), any signature. They reproduce the enrollment CPU attack of issue #11 and test
// the key policy, without waiting for such keys to be generated.
import {createPublicKey, type KeyObject, randomBytes, sign} from 'node:crypto'

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents)
  const n = body.length
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), length, body])
}

const SEQUENCE = 0x30
const OIDS = {ecdsaSha256: '06082a8648ce3d040302', sha256Rsa: '06092a864886f70d01010b'} as const

/** An RSA public key with any modulus and exponent (random odd numbers of the given sizes). */
export function rsaPublicKey(modulusBits: number, exponent: 'big' | 65537 | 3 = 65537): KeyObject {
  const n = randomBytes(modulusBits / 8)
  n[0] = (n[0] as number) | 0x80
  n[n.length - 1] = (n[n.length - 1] as number) | 1
  const e = exponent === 'big' ? Buffer.concat([Buffer.from([0xff]), randomBytes(511)]) : Buffer.from(exponent === 3 ? [3] : [1, 0, 1])
  return createPublicKey({format: 'jwk', key: {e: e.toString('base64url'), kty: 'RSA', n: n.toString('base64url')}})
}

/** A PEM CSR around `key`, signed by `signer` when given (else random signature bytes). */
export function csrFor(key: KeyObject, signer?: KeyObject, algorithm: keyof typeof OIDS = 'sha256Rsa'): string {
  const spki = key.export({format: 'der', type: 'spki'})
  const info = der(SEQUENCE, der(0x02, Buffer.from([0])), der(SEQUENCE), spki, der(0xa0))
  const alg = algorithm === 'sha256Rsa' ? der(SEQUENCE, Buffer.from(OIDS.sha256Rsa, 'hex'), der(0x05)) : der(SEQUENCE, Buffer.from(OIDS.ecdsaSha256, 'hex'))
  const signature = signer ? sign('sha256', info, signer) : randomBytes(512)
  const whole = der(SEQUENCE, info, alg, der(0x03, Buffer.from([0]), signature))
  const b64 = whole.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64.trim()}\n-----END CERTIFICATE REQUEST-----\n`
}
