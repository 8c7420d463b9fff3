// A test that needs a part the machine lacks is skipped with the package that provides it; with
// NMG_REQUIRE_ALL=1 (set by .ci/run) the missing part fails the run instead.
import {execFileSync} from 'node:child_process'

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

export function requirePart(ctx: Mocha.Context, present: boolean, what: string): void {
  if (present) return
  if (process.env.NMG_REQUIRE_ALL === '1') throw new Error(`missing test part (NMG_REQUIRE_ALL=1): ${what}`)
  // eslint-disable-next-line no-console
  console.warn(`      skipped: ${what}`)
  ctx.skip()
}
