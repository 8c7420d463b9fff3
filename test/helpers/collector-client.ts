// Calls a collector under test over real TLS on 127.0.0.1, trusting only its CA, optionally with an
// agent's client certificate.
import {request as httpsRequest} from 'node:https'

import type {KeyAndCert} from '../../src/collector/pki.js'

export interface Reply {
  status: number
  text: string
  json: Record<string, unknown>
  type: string
}

export interface CallOptions {
  method?: string
  body?: Buffer | object | string
  client?: KeyAndCert
  headers?: Record<string, string>
}

export function callCollector(port: number, caPem: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: caPem,
        key: options.client?.keyPem,
        cert: options.client?.certPem,
        // A fresh connection each time: no TLS session (and its client certificate) carried over.
        agent: false,
        headers: {'content-type': 'application/json', ...options.headers},
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: Record<string, unknown> = {}
          try {
            json = JSON.parse(text) as Record<string, unknown>
          } catch {
            // Not JSON (the CSV export): the test reads `text`.
          }
          resolve({json, status: res.statusCode ?? 0, text, type: String(res.headers['content-type'])})
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
