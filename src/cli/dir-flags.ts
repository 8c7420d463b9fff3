// `--state-dir` / `--config-dir`: the same as NMG_STATE_DIR / NMG_CONFIG_DIR, for where an
// environment cannot be set. A Windows task from XML runs a program with arguments but no
// environment, so the scheduled audit carries the folders it was installed with on its command line.

/** Each hidden global flag and the variable it stands for. */
export const DIR_FLAGS = {'config-dir': 'NMG_CONFIG_DIR', 'state-dir': 'NMG_STATE_DIR'} as const

export type DirFlag = keyof typeof DIR_FLAGS

/** The `--state-dir=…` / `--config-dir=…` words for the variables set in `env` (one word each, so a value starting with `-` stays a value). */
export function dirFlagArgs(env: Record<string, string | undefined>): string[] {
  const args: string[] = []
  for (const [flag, name] of Object.entries(DIR_FLAGS)) {
    const value = env[name]
    if (value) args.push(`--${flag}=${value}`)
  }
  return args
}

/**
 * Sets the variables from the flags found in `argv` (`--state-dir X` or `--state-dir=X`), before
 * the command runs: every reader of the folders (stateDir(), configDir()) then sees them. Stops at
 * `--`. Returns what it set.
 */
export function applyDirFlags(argv: readonly string[], env: Record<string, string | undefined> = process.env): Record<string, string> {
  const set: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? ''
    if (word === '--') break
    for (const [flag, name] of Object.entries(DIR_FLAGS)) {
      let value: string | undefined
      if (word.startsWith(`--${flag}=`)) value = word.slice(flag.length + 3)
      else if (word === `--${flag}`) value = argv[++i]
      if (value) {
        env[name] = value
        set[name] = value
      }
    }
  }
  return set
}
