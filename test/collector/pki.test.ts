import {generateKeyPairSync, X509Certificate} from 'node:crypto'

import {expect} from 'chai'
import forge from 'node-forge'

import {createCa, createCsr, createServerCert, CsrError, newRsaKeyPem, signAgentCsr} from '../../src/collector/pki.js'

describe('collector PKI', function () {
  this.timeout(30_000)
  const ca = createCa()

  it('makes a CA that can sign and nothing else', () => {
    const cert = new X509Certificate(ca.certPem)
    expect(cert.ca).to.equal(true)
    expect(cert.checkIssued(cert)).to.equal(true)
  })

  it('puts every host in the server certificate, names as DNS and addresses as IP', () => {
    const cert = new X509Certificate(createServerCert(ca, ['collector.local', '192.168.1.5', '::1']).certPem)
    expect(cert.subjectAltName).to.equal('DNS:collector.local, IP Address:192.168.1.5, IP Address:0:0:0:0:0:0:0:1')
    expect(cert.ca).to.equal(false)
    expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1'])
    // ECDSA P-256: a cheap signature per TLS handshake (issue #11 1.1), verified by the CA's key.
    expect([cert.publicKey.asymmetricKeyType, cert.publicKey.asymmetricKeyDetails?.namedCurve]).to.deep.equal(['ec', 'prime256v1'])
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).to.equal(true)
  })

  it('signs an agent CSR for two years with our subject, not the one asked for', () => {
    const now = new Date('2026-01-10T00:00:00.000Z')
    const signed = signAgentCsr(ca, createCsr(newRsaKeyPem(), 'admin'), '0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27', now)
    const cert = new X509Certificate(signed.certPem)
    expect(cert.subject).to.equal('CN=0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27\nO=nm-guard agent')
    expect(cert.validTo).to.equal('Jan 10 00:00:00 2028 GMT')
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).to.equal(true)
    expect(cert.serialNumber.toLowerCase()).to.equal(signed.serial)
  })

  it('writes a CN outside PrintableString as a UTF8String of its UTF-8 bytes, which the collector reads and signs', () => {
    const pem = createCsr(newRsaKeyPem(), '宣传部-张伟')
    const field = forge.pki.certificationRequestFromPem(pem).subject.getField('CN') as {value: string; valueTagClass: number}
    expect([forge.util.decodeUtf8(field.value), field.valueTagClass]).to.deep.equal(['宣传部-张伟', forge.asn1.Type.UTF8])
    expect(new X509Certificate(signAgentCsr(ca, pem, 'id-1').certPem).subject).to.equal('CN=id-1\nO=nm-guard agent')
    // An ASCII name keeps the PrintableString it always had.
    expect((forge.pki.certificationRequestFromPem(createCsr(newRsaKeyPem(), 'gc-pc-01')).subject.getField('CN') as {valueTagClass: number}).valueTagClass).to.equal(forge.asn1.Type.PRINTABLESTRING)
  })

  it('refuses a key under 2048 bits and text that is no CSR', () => {
    const small = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
    expect(() => signAgentCsr(ca, createCsr(small, 'x'), 'id')).to.throw(CsrError, /2048/)
    expect(() => signAgentCsr(ca, 'hello', 'id')).to.throw(CsrError)
  })
})
