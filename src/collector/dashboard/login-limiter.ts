// Failed dashboard logins per client address in a sliding window: past the limit every attempt
// from that address is refused unchecked (429) until the oldest failure leaves the window, so the
// admin token cannot be guessed at network speed. Successful logins are never counted, and clear
// that address's failures.
export interface LoginLimiterOptions {
  /** Failures allowed in one window; the next attempt is refused. */
  maxFailures?: number
  windowMs?: number
  /** Addresses tracked at most; beyond it the stalest are dropped (bounded memory under a spray). */
  maxAddresses?: number
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>()
  private readonly maxFailures: number
  private readonly windowMs: number
  private readonly maxAddresses: number

  constructor(options: LoginLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5
    this.windowMs = options.windowMs ?? 60_000
    this.maxAddresses = options.maxAddresses ?? 10_000
  }

  /** Whole seconds until `address` may try again; 0 when it may try now. */
  retryAfter(address: string, now: number): number {
    const recent = this.recent(address, now)
    if (recent.length < this.maxFailures) return 0
    const oldest = recent[recent.length - this.maxFailures] as number
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000))
  }

  fail(address: string, now: number): void {
    const recent = this.recent(address, now)
    recent.push(now)
    // Re-inserted last: Map order then runs from the stalest address to the freshest.
    this.failures.delete(address)
    this.failures.set(address, recent.slice(-this.maxFailures))
    while (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value as string)
  }

  succeed(address: string): void {
    this.failures.delete(address)
  }

  private recent(address: string, now: number): number[] {
    const kept = (this.failures.get(address) ?? []).filter((at) => now - at < this.windowMs)
    if (kept.length === 0) this.failures.delete(address)
    return kept
  }
}
