// Times an agent sends are claims: the collector checks them against its own clock. A date that
// does not exist (`2026-19-39T29:69:69Z`) or lies in the future (9999-12-31 would stay "latest"
// forever and hide every later report) is refused, with the reason.

/** How far ahead of the collector an agent's clock may run (minutes). */
export const MAX_CLOCK_AHEAD_MINUTES = 5

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** The instant, or null when the text is not a real RFC 3339 date-time (every field in range). */
export function parseAgentTime(text: string): Date | null {
  const m = ISO.exec(text)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  // The day must exist in that month (Date.UTC would roll 02-30 over into March).
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null
  const offset = m[8] as string
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return null
  const at = new Date(text)
  return Number.isNaN(at.getTime()) ? null : at
}

/** Why `text` is refused as an agent's time, or null when it is accepted. */
export function agentTimeProblem(field: string, text: string, now: Date): null | string {
  const at = parseAgentTime(text)
  if (!at) return `${field} is not a valid date and time`
  const ahead = (at.getTime() - now.getTime()) / 60_000
  if (ahead > MAX_CLOCK_AHEAD_MINUTES) return `${field} is ${Math.round(ahead)} minutes ahead of the collector's clock (at most ${MAX_CLOCK_AHEAD_MINUTES} accepted): check the PC's clock`
  return null
}
