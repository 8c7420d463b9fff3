// Admin sessions and CSRF tokens for the dashboard. Sessions live in this process's memory: several
// collectors behind a load balancer need sticky sessions (or an admin logs in again on each one);
// a restart logs every admin out, which is acceptable for a handful of administrators.
import {randomBytes, timingSafeEqual} from 'node:crypto'

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000
const MAX_SESSIONS = 1000

export interface Session {
  id: string
  /** The per-session CSRF token every POST made while logged in must carry. */
  csrf: string
  expiresAt: number
}

/** 32 random bytes, base64url: unguessable session ids and CSRF tokens. */
export const randomToken = (): string => randomBytes(32).toString('base64url')

/** Constant-time equality of two presented strings; false for missing or different-length values. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  create(): Session {
    this.sweep()
    // Bounded so that a flood of logins cannot grow memory without end: the oldest goes first.
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string)
    const session = {id: randomToken(), csrf: randomToken(), expiresAt: this.now() + this.ttlMs}
    this.sessions.set(session.id, session)
    return session
  }

  /** The live session with this id, or null (unknown or expired — an expired one is forgotten). */
  get(id: string | undefined): null | Session {
    if (!id) return null
    const session = this.sessions.get(id)
    if (!session) return null
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id)
      return null
    }
    return session
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id)
  }

  get size(): number {
    return this.sessions.size
  }

  private sweep(): void {
    const now = this.now()
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id)
  }
}
