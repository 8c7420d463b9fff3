// `route print -4 0.0.0.0` on Windows (any display language: the table itself is not translated):
// rows "0.0.0.0  0.0.0.0  <gateway>  <interface>  <metric>"; the lowest metric wins, "On-link"
// (在链路上) is not a gateway.
export function parseRoutePrint(text: string): null | string {
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === '0.0.0.0' && cols[1] === '0.0.0.0' && /^\d+\.\d+\.\d+\.\d+$/.test(cols[2] ?? '') && /^\d+$/.test(cols[4] ?? ''))
  rows.sort((a, b) => Number(a[4]) - Number(b[4]))
  return rows[0]?.[2] ?? null
}
