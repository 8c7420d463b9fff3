// One JSON request over Node's https, with the few outcomes the agent acts on: an HTTP answer, or
// a network failure (refused, timed out, TLS rejected) that means "collector unreachable".
import {type Agent, request} from 'node:https'

export interface JsonAnswer {
  status: number
  body: unknown
}

export class NetworkError extends Error {
  constructor(public readonly code: string) {
    super(code)
    this.name = 'NetworkError'
  }
}

export interface RequestOptions {
  url: URL
  path: string
  body: string
  agent: Agent
  timeoutMs: number
}

export function postJson(options: RequestOptions): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: options.agent,
        headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body)},
        host: bareHost(options.url),
        method: 'POST',
        path: options.path,
        port: options.url.port || 443,
        // SNI carries names only; the certificate is still checked against the URL's host either way.
        servername: isIp(options.url.hostname) ? undefined : options.url.hostname,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (error: NodeJS.ErrnoException) => reject(new NetworkError(error.code ?? 'ECONNRESET')))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: unknown = null
          try {
            body = text === '' ? null : JSON.parse(text)
          } catch {
            body = {error: text.slice(0, 200)}
          }
          resolve({status: res.statusCode ?? 0, body})
        })
      },
    )
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})))
    req.on('error', (error: NodeJS.ErrnoException) => reject(new NetworkError(error.code ?? error.message)))
    req.end(options.body)
  })
}

/** The URL's host name without the brackets an IPv6 address carries in a URL. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '')
}

export function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')
}

/** The error text of a collector answer, bounded, for a reason file or a message. */
export function errorText(answer: JsonAnswer): string {
  const error = (answer.body as {error?: unknown} | null)?.error
  return typeof error === 'string' ? error.slice(0, 300) : `HTTP ${answer.status}`
}
