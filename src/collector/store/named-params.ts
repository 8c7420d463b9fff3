// PostgreSQL's driver takes $1, $2, …; the shared statements name their parameters (@report_id),
// which better-sqlite3 binds as they are. This turns one into the other, once per statement.

export class MissingParamError extends Error {}

export interface Numbered {
  /** The statement with each @name replaced by $n (the same name, the same n). */
  text: string
  /** The parameter names in $n order. */
  names: string[]
}

/** The statements are the fixed set in sql.ts and migrations.ts; the cap only guards against misuse. */
const MAX_CACHED = 256
const cache = new Map<string, Numbered>()

/**
 * Scans `sql` once: quoted text ('…', "…") and -- comments are copied as they are, and @ only
 * starts a name when a letter or _ follows (PostgreSQL's @> and @@ operators stay).
 */
export function numbered(sql: string): Numbered {
  const cached = cache.get(sql)
  if (cached) return cached
  const names: string[] = []
  let text = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i] as string
    if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped one: the scan closes and reopens, the same text.
      const end = sql.indexOf(c, i + 1)
      const stop = end === -1 ? sql.length : end + 1
      text += sql.slice(i, stop)
      i = stop
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end === -1 ? sql.length : end
      text += sql.slice(i, stop)
      i = stop
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))?.[0] as string
      let n = names.indexOf(name)
      if (n === -1) n = names.push(name) - 1
      text += `$${n + 1}`
      i += 1 + name.length
    } else {
      text += c
      i++
    }
  }
  const result = {names, text}
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(sql, result)
  return result
}

/** The numbered statement and its values from `params`; a name `params` lacks is an error, not a NULL. */
export function bindNamed(sql: string, params: Readonly<Record<string, unknown>> = {}): {text: string; values: unknown[]} {
  const {names, text} = numbered(sql)
  const values = names.map((name) => {
    const value = params[name]
    if (value === undefined) throw new MissingParamError(`no value for the SQL parameter @${name}`)
    return value
  })
  return {text, values}
}
