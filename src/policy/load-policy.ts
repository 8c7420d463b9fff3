// Reads a policy file and reports every problem with file:line:column: bad YAML, schema
// violations, unknown facts or columns, bad regexes, duplicate ids, missing variables.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {LineCounter, parseDocument} from 'yaml'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {packageRoot} from '../config/package-root.js'
import {schemaIssues} from './schema-check.js'
import {semanticIssues} from './semantic-check.js'
import type {LoadedPolicy, Policy, Problem} from './types.js'
import {locate} from './yaml-locate.js'

export const DEFAULT_POLICY = 'gaocheng-2023.yaml'

export const defaultPolicyPath = (): string => join(packageRoot(), 'policies', DEFAULT_POLICY)

export interface ParsedPolicy {
  policy?: Policy
  sha256: string
  problems: Problem[]
}

export function parsePolicy(text: string, file: string): ParsedPolicy {
  const sha256 = createHash('sha256').update(text).digest('hex')
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const {line, col} = lines.linePos(error.pos[0])
      return {column: col, file, key: 'policy.yamlError', line, params: {message: error.message.split('\n')[0] ?? error.code}}
    })
    return {problems, sha256}
  }
  const data = doc.toJS({maxAliasCount: 100}) as unknown
  const structural = schemaIssues(data).map((issue): Problem => {
    const {line, column} = locate(doc, lines, issue.path, issue.key)
    return {column, file, key: 'policy.schemaError', line, params: {message: issue.message, path: issue.path.join('.') || '(top)'}}
  })
  if (structural.length > 0) return {problems: structural, sha256}
  const policy = data as Policy
  const problems = semanticIssues(policy).map((issue): Problem => {
    const {line, column} = locate(doc, lines, issue.path)
    return {column, file, key: issue.key, line, params: issue.params}
  })
  return {policy: problems.length === 0 ? policy : undefined, problems, sha256}
}

export async function readPolicyText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new UserError('file.unreadable', {file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
  }
}

/** Loads a valid policy or throws a UserError naming the first problem and how many there are. */
export async function loadPolicy(file: string = defaultPolicyPath()): Promise<LoadedPolicy> {
  const parsed = parsePolicy(await readPolicyText(file), file)
  const first = parsed.problems[0]
  if (!parsed.policy || first) {
    const detail = first && {key: first.key, params: first.params}
    const at = {column: first?.column ?? 0, line: first?.line ?? 0}
    throw new UserError('policy.invalid', {count: parsed.problems.length, file, ...at}, EXIT.error, detail || undefined)
  }
  return {file, policy: parsed.policy, sha256: parsed.sha256}
}
