// A policy as loaded from YAML (policies/policy.schema.json is the authority on its shape).
import type {Platform} from '../facts/types.js'
import type {MessageKey} from '../i18n/messages.js'

export interface Text {
  zh: string
  en: string
}

export type Severity = 'critical' | 'high' | 'low' | 'medium'
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical']

export type Scalar = boolean | null | number | string
/** `null`: not configured for this district yet (checks that need it cannot be judged). */
export type VarValue = Array<number | string> | boolean | null | number | string

export const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'matches', 'not_matches', 'contains', 'in_cidr', 'exists'] as const
export type Operator = (typeof OPERATORS)[number]

export type Condition =
  | {all: Condition[]}
  | {any: Condition[]}
  | {not: Condition}
  | ({column: string} & Partial<Record<Operator, unknown>>)

export type Expect = 'all' | 'any' | 'none' | {min?: number | string; max?: number | string}

/**
 * What a table with no rows means for a rule: `none_found` (an answer: nothing of the kind is
 * there), `not_applicable` (nothing to judge), `fail` (the plan requires the thing to exist).
 */
export type WhenEmpty = 'fail' | 'none_found' | 'not_applicable'

export interface Rule {
  fact: string
  where?: Condition
  expect: Expect
  when_empty?: WhenEmpty
  evidence?: string[]
}

export interface Check {
  id: string
  title: Text
  rationale: Text
  remediation: Text
  /** What was found, as one plain sentence per outcome ("防火墙未开启"); the rows follow it. */
  finding?: {pass?: Text; fail?: Text}
  severity: Severity
  clause: {id: string; text: string}
  compliance: Record<string, string[]>
  platforms?: Platform[]
  enabled?: boolean | string
  condition?: 'all' | 'any'
  rules: Rule[]
}

export interface Policy {
  policy: {
    id: string
    version: string
    title: Text
    description?: Text
    unit?: Text
    /** Whom the person at an isolated PC should call; shown on screen by `disconnect`. */
    incident_contact?: Text
    references?: string[]
  }
  variables?: Record<string, VarValue>
  checks: Check[]
}

/** One thing wrong with a policy file, located for the user. */
export interface Problem {
  file: string
  line: number
  column: number
  key: MessageKey
  params: Record<string, number | string>
}

export interface LoadedPolicy {
  policy: Policy
  file: string
  sha256: string
}
