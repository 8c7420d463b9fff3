// What every handler may use: the store, the CA, the collector's own clock (never the agent's) and
// the limits on guessing. Built once per server.
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {AuthLimiter} from '../auth-limiter.js'
import type {KeyAndCert} from '../pki.js'
import type {CollectorStore} from '../store/types.js'

export interface CollectorContext {
  store: CollectorStore
  ca: KeyAndCert
  adminTokenSha256: string
  staleDays: number
  now: () => Date
  limiter: AuthLimiter
}

/** A handler: `rest` is what follows a prefix route's prefix (an agent id), '' for exact routes. */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: CollectorContext, rest: string) => Promise<void>
