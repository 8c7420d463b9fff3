// Loads the policy an audit runs with. Parsing YAML and compiling the JSON Schema cost ~0.3 s, so a
// policy that validated once is kept, parsed, under the state dir, keyed on the SHA-256 of its
// text and of everything that judged it (schema, table specs, nm-guard version): any change is a miss.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {packageRoot} from '../config/package-root.js'
import {readCompiled, writeCompiled} from './policy-cache.js'
import type {LoadedPolicy} from './types.js'

export const DEFAULT_POLICY = 'gaocheng-2023.yaml'

export const defaultPolicyPath = (): string => join(packageRoot(), 'policies', DEFAULT_POLICY)

export async function readPolicyText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError('file.unreadable', {file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
  }
}

/** Loads a valid policy or throws a UserError naming the first problem and how many there are. */
export async function loadPolicy(file: string = defaultPolicyPath(), stateDir?: string): Promise<LoadedPolicy> {
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
