// The date shapes Windows hands us: PS 5.1 ConvertTo-Json's "\/Date(ms)\/", the WMI DMTF string
// "20231105000000.000000+480" (Get-WmiObject), registry InstallDate "20231105", the QFE
// InstalledOn "11/5/2026" (M/d/yyyy, en-US whatever the locale) or a hex FILETIME on old systems,
// SecurityCenter2's RFC 1123 "Thu, 23 May 2024 12:29:05 GMT", and plain ISO strings.
import {isObject} from './ps-json.js'

/** Anything before this is a "never" sentinel (1601-01-01, 0001-01-01, epoch 0), not a date. */
const EARLIEST_MS = Date.UTC(1980, 0, 1)
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000

const valid = (ms: number): null | string => (Number.isFinite(ms) && ms >= EARLIEST_MS ? new Date(ms).toISOString() : null)

/** "\/Date(1700000000000)\/" or "/Date(1700000000000+0800)/": the number is UTC epoch ms. */
export function parseMsJsonDate(value: string): null | string {
  const m = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(value.trim())
  return m ? valid(Number(m[1])) : null
}

/** WMI DMTF datetime: yyyymmddHHMMSS.mmmmmm±UUU, UUU = minutes east of UTC. */
export function parseWmiDate(value: string): null | string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$/.exec(value.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, micro, sign, offset] = m
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(micro) / 1000))
  const offsetMs = Number(offset) * 60_000 * (sign === '-' ? -1 : 1)
  return valid(local - offsetMs)
}

/** Calendar date only (registry InstallDate, QFE InstalledOn): midnight UTC of that day. */
function calendar(y: number, m: number, d: number): null | string {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null
  const ms = Date.UTC(y, m - 1, d)
  const check = new Date(ms)
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null
  return valid(ms)
}

/** "20231105", "2023-11-05", "2023/11/5" → ISO; "11/5/2026" (M/d/yyyy) too. */
export function parseCalendarDate(value: string): null | string {
  const s = value.trim()
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) return calendar(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s)
  if (m) return calendar(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s)
  if (m) return calendar(Number(m[3]), Number(m[1]), Number(m[2]))
  return null
}

/** Old QFE entries carry InstalledOn as a 64-bit FILETIME in hex ("01cc0e8a4e9a5c00"). */
export function parseHexFiletime(value: string): null | string {
  const s = value.trim()
  if (!/^[\da-f]{16}$/i.test(s)) return null
  const ticks = BigInt(`0x${s}`)
  return valid(Number(ticks / 10_000n) - FILETIME_EPOCH_OFFSET_MS)
}

/** Any of the shapes above (and a PS 5.1 DateTime wrapped as {value, DateTime}) → ISO, or null. */
export function parseWinDate(value: unknown): null | string {
  if (isObject(value)) return parseWinDate(value.value ?? value.DateTime)
  if (typeof value === 'number') return valid(value)
  if (typeof value !== 'string' || value.trim() === '') return null
  const s = value.trim()
  const parsed = parseMsJsonDate(s) ?? parseWmiDate(s) ?? parseCalendarDate(s) ?? parseHexFiletime(s)
  if (parsed) return parsed
  // ISO 8601 and RFC 1123 are what Date.parse reliably understands; nothing else is trusted.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) || /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/.test(s)) {
    return valid(Date.parse(s))
  }
  return null
}

/** Just the yyyy-mm-dd part, for columns that hold a date. */
export function parseWinDay(value: unknown): null | string {
  return parseWinDate(value)?.slice(0, 10) ?? null
}
