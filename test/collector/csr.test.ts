import {generateKeyPairSync, X509Certificate} from 'node:crypto'

import {expect} from 'chai'

import {CsrError, MAX_CSR_PEM, readCsr} from '../../src/collector/csr.js'
import {createCa, createCsr, newRsaKeyPem, signAgentCsr} from '../../src/collector/pki.js'
import {csrFor, rsaPublicKey} from '../helpers/hostile-csr.js'

describe('collector CSR reading (native)', function () {
  this.timeout(30_000)
  const ca = createCa()

  it("accepts the agent's own RSA 2048 CSR", () => {
    expect(readCsr(createCsr(newRsaKeyPem(), 'pc')).kind).to.equal('rsa')
  })

  it('refuses, before any signature work, keys outside RSA 2048–4096/e=65537 and P-256', () => {
    for (const [key, why] of [
      [rsaPublicKey(1024), '1024 bits'],
      [rsaPublicKey(8192), '8192 bits'],
      [rsaPublicKey(2048, 3), 'e = 3'],
      [rsaPublicKey(4096, 'big'), 'a 4096-bit exponent'],
      [generateKeyPairSync('ec', {namedCurve: 'secp384r1'}).publicKey, 'P-384'],
    ] as const) {
      expect(() => readCsr(csrFor(key)), why).to.throw(CsrError, /2048 to 4096 bits with exponent 65537, or EC P-256/)
    }
  })

  it('answers the CPU attack (huge modulus and exponent) in well under 5 ms of CPU', () => {
    const hostile = csrFor(rsaPublicKey(4096, 'big'))
    const start = process.cpuUsage()
    for (let i = 0; i < 20; i++) expect(() => readCsr(hostile)).to.throw(CsrError)
    const used = process.cpuUsage(start)
    expect((used.user + used.system) / 1000 / 20).to.be.below(5)
  })

  it('refuses a PEM longer than the bound, a bad signature, and a signature algorithm that does not fit the key', () => {
    expect(() => readCsr(`${'A'.repeat(MAX_CSR_PEM)}x`)).to.throw(CsrError, /longer than/)
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    expect(() => readCsr(csrFor(publicKey))).to.throw(CsrError, /does not verify/)
    expect(readCsr(csrFor(publicKey, privateKey)).kind).to.equal('rsa')
    expect(() => readCsr(csrFor(publicKey, privateKey, 'ecdsaSha256'))).to.throw(CsrError, /algorithm/)
    expect(() => readCsr('-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n')).to.throw(CsrError)
  })

  it('signs a P-256 CSR: the certificate carries the agent key as sent and verifies under the CA', () => {
    const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'})
    const signed = signAgentCsr(ca, csrFor(publicKey, privateKey, 'ecdsaSha256'), '0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27')
    const cert = new X509Certificate(signed.certPem)
    expect(cert.publicKey.export({format: 'der', type: 'spki'}).equals(publicKey.export({format: 'der', type: 'spki'}))).to.equal(true)
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).to.equal(true)
    expect(cert.subject).to.equal('CN=0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27\nO=nm-guard agent')
  })
})
