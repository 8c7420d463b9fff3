// Failed authentication, counted in the database per source and fixed window, so every collector
// sharing the database shares the count and a restart forgets nothing. Past the limit a source is
// refused unchecked (429 with Retry-After) until its window ends: a token cannot be guessed at
// network speed through the API, enrollment or the dashboard login.
import {isIPv6} from 'node:net'

import {HttpError} from './http/http-error.js'
import {STATUS} from './protocol.js'
import type {CollectorStore} from './store/types.js'

export type AuthScope = 'api-admin' | 'dashboard-login' | 'enroll'

export interface AuthLimits {
  /** Failures allowed per source in one window; the next attempt is refused. */
  maxFailures: number
  windowMs: number
}

export const DEFAULT_AUTH_LIMITS: Record<AuthScope, AuthLimits> = {
  'api-admin': {maxFailures: 10, windowMs: 60_000},
  'dashboard-login': {maxFailures: 5, windowMs: 60_000},
  enroll: {maxFailures: 10, windowMs: 60_000},
}

/**
 * The key a source is counted under: an IPv4 address, or an IPv6 address's /64 (one host usually
 * holds a whole /64, and counting single addresses would let it try 2^64 times).
 */
export function sourceKey(address: string | undefined): string {
  if (!address) return 'unknown'
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (v4) return v4[1] as string
  if (!isIPv6(address)) return address
  const [head = '', tail = ''] = address.toLowerCase().split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = address.includes('::') ? [...left, ...Array.from({length: 8 - left.length - right.length}, () => '0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

export class AuthLimiter {
  constructor(
    private readonly store: CollectorStore,
    private readonly now: () => Date,
    private readonly limits: Record<AuthScope, AuthLimits> = DEFAULT_AUTH_LIMITS,
  ) {}

  private window(scope: AuthScope): {start: string; endsAt: number} {
    const {windowMs} = this.limits[scope]
    const startMs = Math.floor(this.now().getTime() / windowMs) * windowMs
    return {start: new Date(startMs).toISOString(), endsAt: startMs + windowMs}
  }

  /** Whole seconds until `source` may try again in `scope`; 0 when it may try now. */
  async retryAfter(scope: AuthScope, source: string): Promise<number> {
    const {endsAt, start} = this.window(scope)
    if ((await this.store.authFailureCount(scope, source, start)) < this.limits[scope].maxFailures) return 0
    return Math.max(1, Math.ceil((endsAt - this.now().getTime()) / 1000))
  }

  async fail(scope: AuthScope, source: string): Promise<void> {
    await this.store.recordAuthFailure(scope, source, this.window(scope).start)
  }

  /** For the API: a 429 (and its Retry-After) when the source is over its limit. */
  async assertAllowed(scope: AuthScope, source: string): Promise<void> {
    const wait = await this.retryAfter(scope, source)
    if (wait > 0) throw new HttpError(STATUS.tooManyRequests, `too many failed attempts; retry after ${wait} s`, {'retry-after': String(wait)})
  }

  /** Forgets windows that have ended (each scope's window is at most an hour). */
  async prune(): Promise<void> {
    const longest = Math.max(...Object.values(this.limits).map((l) => l.windowMs))
    await this.store.pruneAuthFailures(new Date(this.now().getTime() - longest).toISOString())
  }
}
