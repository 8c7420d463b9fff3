// Loads the policy an audit runs with. Parsing YAML and compiling the JSON Schema cost ~0.3 s, so a
// policy that validated once is kept, parsed, under the state dir, keyed on the SHA-256 of its
// text and of everything that judged it (schema, table specs, nm-guard version): any change is a miss.
// Without --policy, the district's own policy (`nm-guard policy init`, in the state dir) comes first.
import {lstatSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, join, win32} from 'node:path'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {packageRoot} from '../config/package-root.js'
import {stateDir as defaultStateDir} from '../config/state-dir.js'
import {readCompiled, writeCompiled} from './policy-cache.js'
import type {LoadedPolicy} from './types.js'

export const DEFAULT_POLICY = 'gaocheng-2023.yaml'

export const defaultPolicyPath = (): string => join(packageRoot(), 'policies', DEFAULT_POLICY)

/** Where `nm-guard policy init` writes the district's policy by default. */
export const districtPolicyPath = (stateDir: string = defaultStateDir()): string => join(stateDir, 'policy.yaml')

/**
 * The district's policy for every account of the PC: `policy init` run as root writes it here, where
 * an operator's own audit (its own state dir) finds it too. On Windows the state dir is already the
 * machine's. NMG_MACHINE_POLICY moves it (tests).
 */
export function machinePolicyPath(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NMG_MACHINE_POLICY) return env.NMG_MACHINE_POLICY
  if (platform === 'win32') return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'nm-guard', 'policy.yaml')
  if (platform === 'darwin') return '/Library/Application Support/nm-guard/policy.yaml'
  return '/etc/nm-guard/policy.yaml'
}

/**
 * The policy commands use without --policy: the account's own district policy (state dir), else the
 * machine's, else the bundled default. Anything at those names counts (lstat): one that cannot be
 * read is an error, never a silent audit against the default's unconfigured networks.
 */
export function activePolicyPath(stateDir: string = defaultStateDir(), env: Record<string, string | undefined> = process.env): string {
  const district = districtPolicyPath(stateDir)
  if (present(district)) return district
  const machine = machinePolicyPath(env)
  if (machine === district || !visible(machine)) return defaultPolicyPath()
  assertRootsOnly(machine)
  return machine
}

function present(file: string): boolean {
  try {
    return lstatSync(file, {throwIfNoEntry: false}) !== undefined
  } catch {
    // Not even looked at (a folder this account may not enter): reading it will say why.
    return true
  }
}

/** The machine's policy in a folder this account may not enter is not shared with it: as if absent. */
function visible(file: string): boolean {
  try {
    return lstatSync(file, {throwIfNoEntry: false}) !== undefined
  } catch {
    return false
  }
}

/**
 * Every account's audit reads the machine's policy, root's included: one that another account
 * could have written (or swapped through its folder) is refused, not obeyed.
 */
function assertRootsOnly(file: string): void {
  if (process.platform === 'win32') return
  const safe = (path: string, kind: 'dir' | 'file'): boolean => {
    const stat = lstatSync(path, {throwIfNoEntry: false})
    return stat !== undefined && (kind === 'file' ? stat.isFile() : stat.isDirectory()) && stat.uid === 0 && (stat.mode & 0o022) === 0
  }
  if (!safe(file, 'file') || !safe(dirname(file), 'dir')) throw new UserError('policy.machineUntrusted', {file}, EXIT.error)
}

export async function readPolicyText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError('file.unreadable', {file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
  }
}

/** Loads a valid policy (`given`, else the active one) or throws a UserError naming the first problem and how many there are. */
export async function loadPolicy(given?: string, stateDir?: string): Promise<LoadedPolicy> {
  const file = given ?? activePolicyPath(stateDir)
  const text = await readPolicyText(file)
  const compiled = await readCompiled(text, stateDir)
  if (compiled) return {file, policy: compiled.policy, sha256: compiled.sha256}
  const {parsePolicy} = await import('./parse-policy.js')
  const parsed = parsePolicy(text, file)
  const first = parsed.problems[0]
  if (!parsed.policy || first) {
    const detail = first && {key: first.key, params: first.params}
    const at = {column: first?.column ?? 0, line: first?.line ?? 0}
    throw new UserError('policy.invalid', {count: parsed.problems.length, file, ...at}, EXIT.error, detail || undefined)
  }
  await writeCompiled(text, parsed.sha256, parsed.policy, stateDir)
  return {file, policy: parsed.policy, sha256: parsed.sha256}
}
