// The command line Windows' CreateProcess receives for an argv, built as libuv builds it
// (quote_cmd_arg, MSVCRT rules): an argument with a space, tab or quote is quoted, backslashes
// before a quote are doubled. Used to measure what nm-guard would spawn (CreateProcess refuses
// more than 32,767 characters) and to write command lines that Windows splits back exactly.

export const CREATE_PROCESS_LIMIT = 32_767

export function quoteWindowsArg(arg: string): string {
  if (arg === '') return '""'
  if (!/[\s"]/.test(arg)) return arg
  if (!/["\\]/.test(arg)) return `"${arg}"`
  let out = '"'
  let backslashes = 0
  for (const c of arg) {
    if (c === '\\') {
      backslashes++
      continue
    }
    // Backslashes are literal unless a quote follows: then each is doubled and the quote escaped.
    out += c === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${c}`
    backslashes = 0
  }
  // Before the closing quote, every trailing backslash is doubled.
  return `${out}${'\\'.repeat(backslashes * 2)}"`
}

export const windowsCommandLine = (file: string, args: readonly string[]): string => [file, ...args].map(quoteWindowsArg).join(' ')

/** CommandLineToArgvW's splitting (the inverse of the above), for tests that round-trip an argv. */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = []
  let i = 0
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (i >= line.length) break
    let arg = ''
    let quoted = false
    while (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) {
      if (line[i] === '\\') {
        let n = 0
        while (line[i] === '\\') {
          n++
          i++
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2))
          if (n % 2 === 1) {
            arg += '"'
            i++
          }
        } else arg += '\\'.repeat(n)
      } else if (line[i] === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"'
          i += 2
        } else {
          quoted = !quoted
          i++
        }
      } else arg += line[i++]
    }
    args.push(arg)
  }
  return args
}
