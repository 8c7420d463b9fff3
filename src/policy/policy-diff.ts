// What a district's policy changes from the default: variables (old → new), the policy's own
// fields (id, title, unit, incident contact…), and checks added, removed or changed, by id.
import {stringify} from 'safe-stable-stringify'

import type {Check, Policy, VarValue} from './types.js'

/** `undefined` on one side: the variable or field is absent there. */
export interface ValueChange<V> {
  name: string
  from?: V
  to?: V
}

export interface CheckChange {
  id: string
  /** The check's top-level fields that differ (severity, rules, enabled…). */
  fields: string[]
}

export interface PolicyDiff {
  meta: Array<ValueChange<unknown>>
  variables: Array<ValueChange<VarValue>>
  checks: {added: string[]; removed: string[]; changed: CheckChange[]}
}

const same = (a: unknown, b: unknown): boolean => stringify(a) === stringify(b)

function changes<V>(base: Record<string, V>, other: Record<string, V>): Array<ValueChange<V>> {
  // The other policy's order, then what only the base has: a reader sees the district's file top down.
  const names = [...new Set([...Object.keys(other), ...Object.keys(base)])]
  return names.filter((name) => !same(base[name], other[name])).map((name) => ({from: base[name], name, to: other[name]}))
}

export function diffPolicies(base: Policy, other: Policy): PolicyDiff {
  const baseChecks = new Map(base.checks.map((check) => [check.id, check]))
  const otherIds = new Set(other.checks.map((check) => check.id))
  const changed: CheckChange[] = []
  for (const check of other.checks) {
    const before = baseChecks.get(check.id)
    if (!before) continue
    const fields = [...new Set([...Object.keys(check), ...Object.keys(before)])].filter(
      (field) => !same(before[field as keyof Check], check[field as keyof Check]),
    )
    if (fields.length > 0) changed.push({fields, id: check.id})
  }
  return {
    checks: {
      added: other.checks.filter((check) => !baseChecks.has(check.id)).map((check) => check.id),
      changed,
      removed: base.checks.filter((check) => !otherIds.has(check.id)).map((check) => check.id),
    },
    meta: changes<unknown>(base.policy, other.policy),
    variables: changes<VarValue>(base.variables ?? {}, other.variables ?? {}),
  }
}

export const isEmptyDiff = (diff: PolicyDiff): boolean =>
  diff.meta.length + diff.variables.length + diff.checks.added.length + diff.checks.removed.length + diff.checks.changed.length === 0
