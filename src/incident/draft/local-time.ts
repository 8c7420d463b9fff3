// Times in the draft are the PC's local time with its offset, as officials read them
// (2026-11-27 16:00:00 UTC+08:00); the ISO instant stays in data attributes and the journal.
const pad = (n: number, width = 2): string => String(Math.trunc(n)).padStart(width, '0')

export function formatLocalTime(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} UTC${sign}${pad(abs / 60)}:${pad(abs % 60)}`
}
