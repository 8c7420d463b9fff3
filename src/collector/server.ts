// The collector's HTTPS server: TLS (tls-options), the route table (route-table), and one error
// path. Wire error texts are English on purpose: they are protocol, logged by agents, not UI.
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createServer, type Server} from 'node:https'
import type {AddressInfo} from 'node:net'

import type {CollectorContext} from './api/context.js'
import {type AuthLimits, AuthLimiter, type AuthScope} from './auth-limiter.js'
import {backfillFailingClauses} from './backfill-clauses.js'
import {Dashboard} from './dashboard/routes.js'
import {HttpError} from './http/http-error.js'
import {closeAfterAnswer} from './http/request-body.js'
import {requestUrl} from './http/request-target.js'
import {send} from './http/respond.js'
import type {KeyAndCert} from './pki.js'
import {policyClauses} from './policy-clauses.js'
import {findRoute, routeTable} from './route-table.js'
import type {CollectorStore} from './store/types.js'
import {collectorTlsOptions} from './tls-options.js'

export interface CollectorServerOptions {
  ca: KeyAndCert
  server: KeyAndCert
  adminTokenSha256: string
  store: CollectorStore
  staleDays: number
  now?: () => Date
  /** Told about each request that failed on our side (never with secrets in it). */
  onError?: (error: unknown) => void
  /** Limits on failed authentication (tests of other things loosen them). */
  authLimits?: Record<AuthScope, AuthLimits>
}

export interface RunningCollector {
  server: Server
  port: number
  close(): Promise<void>
}

export function createCollectorServer(options: CollectorServerOptions): Server {
  const now = options.now ?? (() => new Date())
  const {store} = options
  const limiter = new AuthLimiter(store, now, options.authLimits)
  const ctx: CollectorContext = {store, ca: options.ca, adminTokenSha256: options.adminTokenSha256, staleDays: options.staleDays, now, limiter}
  const dashboard = new Dashboard({store, adminTokenSha256: options.adminTokenSha256, staleDays: options.staleDays, now, limiter, knownClauses: policyClauses})
  const routes = routeTable((req, res) => dashboard.handle(req, res))

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const {route, rest} = findRoute(routes, req.method ?? 'GET', requestUrl(req.url).pathname)
    await route.handler(req, res, ctx, rest)
  }

  const server = createServer(collectorTlsOptions(options.ca, options.server), (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return
      if (error instanceof HttpError) {
        // A refused request may still be sending its body: answer, then close rather than read it.
        if (!req.complete) closeAfterAnswer(req, res)
        send(res, error.status, {error: error.message}, undefined, error.headers)
        return
      }
      options.onError?.(error)
      send(res, 500, {error: 'internal error'})
    })
  })
  // Ended windows of failed-authentication counts are dropped once a minute (a bounded table).
  const pruning = setInterval(() => limiter.prune().catch((error: unknown) => options.onError?.(error)), 60_000)
  pruning.unref()
  server.once('close', () => clearInterval(pruning))
  return server
}

export async function startCollector(options: CollectorServerOptions, port: number, host: string): Promise<RunningCollector> {
  await backfillFailingClauses(options.store)
  const server = createCollectorServer(options)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
