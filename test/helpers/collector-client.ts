// Calls a collector under test over real TLS on 127.0.0.1: as an agent or admin client (trusting
// only its CA, optionally with an agent's client certificate), or as a browser with a cookie jar.
import type {IncomingHttpHeaders} from 'node:http'
import {request as httpsRequest} from 'node:https'

import type {KeyAndCert} from '../../src/collector/pki.js'

export interface Reply {
  status: number
  text: string
  json: Record<string, unknown>
  type: string
  headers: IncomingHttpHeaders
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
          resolve({headers: res.headers, json, status: res.statusCode ?? 0, text, type: String(res.headers['content-type'])})
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export interface BrowserOptions {
  method?: string
  /** A form body (application/x-www-form-urlencoded). */
  body?: string
  /** Cookies to send; what the server sets is stored back, as a browser would. */
  jar?: Map<string, string>
  /** A Cookie header sent as is (for what a browser would never send). */
  cookie?: string
}

export interface BrowserReply {
  status: number
  text: string
  headers: IncomingHttpHeaders
}

/** A dashboard request as a browser makes it: no client certificate, no redirect followed. */
export function browserRequest(port: number | string, path: string, options: BrowserOptions = {}): Promise<BrowserReply> {
  const cookie = options.cookie ?? [...(options.jar ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join('; ')
  return new Promise((resolve, reject) => {
    const headers = {'content-type': 'application/x-www-form-urlencoded', ...(cookie ? {cookie} : {})}
    // The dashboard tests pin nothing: the browser they stand for was told to accept the certificate.
    const req = httpsRequest({agent: false, headers, host: '127.0.0.1', method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), path, port, rejectUnauthorized: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const pair = line.split(';')[0] as string
          const eq = pair.indexOf('=')
          options.jar?.set(pair.slice(0, eq), pair.slice(eq + 1))
        }
        resolve({headers: res.headers, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')})
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
