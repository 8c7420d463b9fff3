// Loads the policy an audit runs with. Parsing YAML and compiling the JSON Schema cost ~0.3 s, so a
// policy that validated once is kept, parsed, under the state dir, keyed on the SHA-256 of its
// text and of everything that judged it (schema, table specs, nm-guard version): any change is a miss.
// Without --policy, the district's own policy (`nm-guard policy init`, in the state dir) comes first.
import {lstatSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

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
 * The policy commands use without --policy: the district's, when the state dir has one, else the
 * bundled default. Anything at that name counts (lstat): one that cannot be read is an error, never
 * a silent audit against the default's unconfigured networks.
 */
export function activePolicyPath(stateDir: string = defaultStateDir()): string {
  const district = districtPolicyPath(stateDir)
  try {
    return lstatSync(district, {throwIfNoEntry: false}) ? district : defaultPolicyPath()
  } catch {
    // Not even looked at (a state dir this account may not enter): reading it will say why.
    return district
  }
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
