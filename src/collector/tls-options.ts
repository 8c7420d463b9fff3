// The collector's TLS: every client is asked for a certificate but not made to present one
// (enrollment, health and the dashboard work without); agent routes then demand one (peer-identity).
import type {SecureContextOptions, TlsOptions} from 'node:tls'

import type {KeyAndCert} from './pki.js'

/** TLS 1.3, and TLS 1.2 only with forward secrecy (ECDHE) and AEAD ciphers: no RSA key exchange, no CBC. */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':')

export function collectorTlsOptions(ca: KeyAndCert, server: KeyAndCert): SecureContextOptions & TlsOptions {
  return {
    key: server.keyPem,
    cert: server.certPem,
    ca: [ca.certPem],
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
  }
}
