// Which language to speak: --lang, else the locale (LC_ALL, LC_MESSAGES, LANG; zh* → Chinese).
export type Lang = 'en' | 'zh-CN'
export const LANGS: readonly Lang[] = ['zh-CN', 'en']

export function detectLang(argv: readonly string[], env: Record<string, string | undefined> = process.env): Lang {
  const fromFlag = langFlag(argv)
  if (fromFlag) return fromFlag
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || systemLocale()
  return /^zh/i.test(locale) ? 'zh-CN' : 'en'
}

/** The language a valid `--lang X` / `--lang=X` in `argv` names (before any `--`), if there is one. */
export function langFlag(argv: readonly string[]): Lang | undefined {
  const value = flagValue(argv, '--lang')
  return value === 'en' || value === 'zh-CN' ? value : undefined
}

/** Windows has no LANG: ask Intl, which reads the user's UI locale. */
function systemLocale(): string {
  return process.platform === 'win32' ? Intl.DateTimeFormat().resolvedOptions().locale : ''
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') return undefined
    if (arg === flag) return argv[i + 1]
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1)
  }
  return undefined
}
