// Reading what Windows PowerShell 5.1's ConvertTo-Json produced. Its quirks: a pipeline of one
// object arrives as that object (not a one-element array), an empty one as null; enums arrive as
// integers; registry REG_SZ numbers arrive as strings. These helpers absorb that once.

export type PsObject = Record<string, unknown>

/** null/undefined → [], an array → itself, anything else → [it]. */
export function toArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

export function isObject(value: unknown): value is PsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The objects of a list (or of one object), skipping anything else. */
export function objects(value: unknown): PsObject[] {
  return toArray(value).filter(isObject)
}

/** A trimmed, non-empty string; numbers are written out; anything else is null. */
export function str(value: unknown): null | string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return null
  const trimmed = value.replaceAll('\0', '').trim()
  return trimmed === '' ? null : trimmed
}

/** An integer from a number or a numeric string ("600", "0x1f"); null otherwise. */
export function int(value: unknown): null | number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null
  if (typeof value !== 'string') return null
  const s = value.trim()
  if (/^-?\d+$/.test(s)) return Number.parseInt(s, 10)
  if (/^0x[\da-f]+$/i.test(s)) return Number.parseInt(s, 16)
  return null
}

/** true/false from booleans, 1/0 and "True"/"False"/"1"/"0"; null otherwise. */
export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase()
    if (s === 'true' || s === '1') return true
    if (s === 'false' || s === '0') return false
  }
  return null
}

/** The one object a fragment wrote (fragments that gather several sources write one object). */
export function single(rows: unknown[]): PsObject {
  const first = rows.find(isObject)
  return first ?? {}
}
