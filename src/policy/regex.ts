// Policy regexes are case-insensitive and Unicode-aware (names like 向日葵 or ToDesk match any
// case). A leading "(?i)" — common in copied patterns — is accepted and dropped, since JS on Node 20
// has no inline flags.

const cache = new Map<string, RegExp>()

export function compilePattern(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (!re) {
    re = new RegExp(pattern.replace(/^\(\?i\)/, ''), 'iu')
    cache.set(pattern, re)
  }
  return re
}

/** The error message when `pattern` is not a valid regex, else undefined. */
export function patternError(pattern: string): string | undefined {
  try {
    compilePattern(pattern)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
