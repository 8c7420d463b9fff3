// Date helpers shared by collectors: whole days between two instants, and tolerant ISO parsing.

const DAY_MS = 86_400_000

/** Whole days from `iso` to `now` (never negative); null when `iso` is null or unparseable. */
export function daysSince(iso: null | string | undefined, now: Date): null | number {
  if (!iso) return null
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return null
  return Math.max(0, Math.floor((now.getTime() - t) / DAY_MS))
}

/** ISO string for a Date or epoch milliseconds; null when invalid. */
export function toIso(value: Date | number | null | undefined): null | string {
  if (value === null || value === undefined) return null
  const d = typeof value === 'number' ? new Date(value) : value
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** The latest of several ISO strings (nulls ignored). */
export function latestIso(values: Array<null | string | undefined>): null | string {
  let best: null | number = null
  for (const v of values) {
    const t = v ? Date.parse(v) : Number.NaN
    if (!Number.isNaN(t) && (best === null || t > best)) best = t
  }
  return best === null ? null : new Date(best).toISOString()
}
