// One JSON request over Node's https, with the few outcomes the agent acts on: an HTTP answer, or
// a network failure (refused, timed out, TLS rejected) that means "collector unreachable".
import type {LookupAddress, LookupOptions} from 'node:dns'
import {type Agent, request} from 'node:https'
import {isIP, type LookupFunction} from 'node:net'

export interface JsonAnswer {
  status: number
  body: unknown
  /** Seconds, from a 429's Retry-After. */
  retryAfter?: number
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
          const retryAfter = Number(res.headers['retry-after'])
          resolve({status: res.statusCode ?? 0, body, ...(retryAfter > 0 ? {retryAfter} : {})})
        })
      },
    )
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT'})))
    req.on('error', (error: NodeJS.ErrnoException) => reject(new NetworkError(error.code ?? error.message)))
    req.end(options.body)
  })
}

/**
 * A lookup that answers `host` from addresses resolved earlier and asks no DNS: while an incident
 * keeps only the collector reachable, DNS is cut with everything else (#11 2.3). The host name
 * itself still goes into SNI and the certificate check, which never see these addresses.
 */
export function pinnedLookup(host: string, addresses: readonly string[]): LookupFunction {
  const entries: LookupAddress[] = addresses.filter((a) => isIP(a) !== 0).map((address) => ({address, family: isIP(address)}))
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: LookupAddress[] | string, family?: number) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0)
    const found = hostname === host ? entries.filter((e) => family === 0 || e.family === family) : []
    if (found.length === 0) return callback(Object.assign(new Error(`${hostname}: no address resolved before the cut`), {code: 'ENOTFOUND'}), '')
    if (options.all) return callback(null, found)
    const [first] = found as [LookupAddress]
    return callback(null, first.address, first.family)
  }
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
