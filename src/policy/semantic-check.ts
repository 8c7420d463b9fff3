// What the schema cannot see: facts and columns that do not exist, regexes that do not compile,
// ids used twice, variables that are missing or of the wrong type, CIDRs that are not CIDRs.
import {isIP} from 'node:net'

import {tableSpec} from '../facts/registry.js'
import {patternError} from './regex.js'
import type {Condition, Policy} from './types.js'
import {varName} from './variables.js'
import type {PathSegment} from './yaml-locate.js'
import type {MessageKey} from '../i18n/messages.js'

export interface SemanticIssue {
  path: PathSegment[]
  key: MessageKey
  params: Record<string, number | string>
}

type Expected = 'list' | 'number' | 'patterns'

const OPERAND: Record<string, Expected | undefined> = {
  gt: 'number',
  gte: 'number',
  in: 'list',
  in_cidr: 'list',
  lt: 'number',
  lte: 'number',
  matches: 'patterns',
  not_in: 'list',
  not_matches: 'patterns',
}

export function semanticIssues(policy: Policy): SemanticIssue[] {
  const issues: SemanticIssue[] = []
  const seen = new Map<string, number>()
  policy.checks.forEach((check, c) => {
    const first = seen.get(check.id)
    if (first === undefined) seen.set(check.id, c)
    else issues.push({key: 'policy.duplicateId', params: {first: first + 1, id: check.id}, path: ['checks', c, 'id']})
    if (typeof check.enabled === 'string') checkVar(policy, check.enabled, 'boolean', ['checks', c, 'enabled'], issues)
    check.rules.forEach((rule, r) => {
      const at: PathSegment[] = ['checks', c, 'rules', r]
      const spec = tableSpec(rule.fact)
      if (!spec) {
        issues.push({key: 'policy.unknownFact', params: {fact: rule.fact}, path: [...at, 'fact']})
        return
      }
      const columns = new Set(spec.columns.map((col) => col.name))
      rule.evidence?.forEach((column, e) => {
        if (!columns.has(column)) issues.push({key: 'policy.unknownColumn', params: {column, fact: rule.fact}, path: [...at, 'evidence', e]})
      })
      if (typeof rule.expect === 'object') {
        for (const bound of ['min', 'max'] as const) {
          const value = rule.expect[bound]
          if (typeof value === 'string') checkVar(policy, value, 'number', [...at, 'expect', bound], issues)
        }
      }
      if (rule.where) walkCondition(policy, rule.where, rule.fact, columns, [...at, 'where'], issues)
    })
  })
  return issues
}

function walkCondition(policy: Policy, cond: Condition, fact: string, columns: Set<string>, at: PathSegment[], issues: SemanticIssue[]): void {
  if ('all' in cond) return cond.all.forEach((sub, i) => walkCondition(policy, sub, fact, columns, [...at, 'all', i], issues))
  if ('any' in cond) return cond.any.forEach((sub, i) => walkCondition(policy, sub, fact, columns, [...at, 'any', i], issues))
  if ('not' in cond) return walkCondition(policy, cond.not, fact, columns, [...at, 'not'], issues)
  if (!columns.has(cond.column)) issues.push({key: 'policy.unknownColumn', params: {column: cond.column, fact}, path: [...at, 'column']})
  for (const [op, operand] of Object.entries(cond)) {
    const expected = OPERAND[op]
    if (!expected) continue
    const name = varName(operand)
    const value = name === undefined ? operand : policy.variables?.[name]
    if (name !== undefined && value === undefined) {
      issues.push({key: 'policy.undefinedVariable', params: {name}, path: [...at, op]})
      continue
    }
    // null: not configured yet — evaluation reports it; there is nothing to type-check.
    if (value === null) continue
    if (name !== undefined && !fits(value, expected)) {
      issues.push({key: 'policy.variableType', params: {expected, name}, path: ['variables', name]})
      continue
    }
    const where: PathSegment[] = name === undefined ? [...at, op] : ['variables', name]
    if (expected === 'patterns') {
      const patterns = Array.isArray(value) ? value : [value]
      patterns.forEach((pattern, i) => {
        const message = patternError(String(pattern))
        if (message) issues.push({key: 'policy.badRegex', params: {message, pattern: String(pattern)}, path: Array.isArray(value) ? [...where, i] : where})
      })
    }
    if (op === 'in_cidr' && Array.isArray(value)) {
      value.forEach((cidr, i) => {
        if (!isCidr(String(cidr))) issues.push({key: 'policy.badCidr', params: {cidr: String(cidr)}, path: [...where, i]})
      })
    }
  }
}

function checkVar(policy: Policy, ref: string, expected: 'boolean' | 'number', at: PathSegment[], issues: SemanticIssue[]): void {
  const name = varName(ref)
  if (name === undefined) return
  const value = policy.variables?.[name]
  if (value === undefined) issues.push({key: 'policy.undefinedVariable', params: {name}, path: at})
  else if (value !== null && typeof value !== expected) issues.push({key: 'policy.variableType', params: {expected, name}, path: ['variables', name]})
}

function fits(value: unknown, expected: Expected): boolean {
  if (expected === 'number') return typeof value === 'number'
  if (expected === 'list') return Array.isArray(value)
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
}

export function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/')
  if (rest.length > 0 || !address) return false
  const family = isIP(address)
  if (family === 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
}
