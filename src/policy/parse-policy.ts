// Parses a policy and reports every problem with file:line:column: bad YAML, schema
// violations, unknown facts or columns, bad regexes, duplicate ids, missing variables.
import {createHash} from 'node:crypto'

import {LineCounter, parseDocument} from 'yaml'

import {hasMessage} from '../i18n/messages.js'
import {schemaIssues} from './schema-check.js'
import {semanticIssues} from './semantic-check.js'
import type {Policy, Problem} from './types.js'
import {locate} from './yaml-locate.js'

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
      // The common mistakes in plain words; the parser's own (English) sentence for the rest.
      const yamlKey = `yaml.${error.code}`
      const key = hasMessage(yamlKey) ? yamlKey : 'policy.yamlError'
      return {column: col, file, key, line, params: {message: error.message.split('\n')[0] ?? error.code}}
    })
    return {problems, sha256}
  }
  const data = doc.toJS({maxAliasCount: 100}) as unknown
  const structural = schemaIssues(data).map((issue): Problem => {
    const {line, column} = locate(doc, lines, issue.path, issue.propertyKey)
    return {column, file, key: issue.key, line, params: {...issue.params, path: issue.path.join('.') || '(top)'}}
  })
  if (structural.length > 0) return {problems: structural, sha256}
  const policy = data as Policy
  const problems = semanticIssues(policy).map((issue): Problem => {
    const {line, column} = locate(doc, lines, issue.path)
    return {column, file, key: issue.key, line, params: issue.params}
  })
  return {policy: problems.length === 0 ? policy : undefined, problems, sha256}
}
