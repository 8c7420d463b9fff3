// "${name}" in a policy stands for the whole value of variables.name — lists, numbers, booleans.
import type {Policy, VarValue} from './types.js'

const REF = /^\$\{([a-z][a-z0-9_]*)\}$/

export function varName(value: unknown): string | undefined {
  return typeof value === 'string' ? REF.exec(value)?.[1] : undefined
}

export function resolveVar(policy: Policy, value: unknown): unknown {
  const name = varName(value)
  if (name === undefined) return value
  const found: VarValue | undefined = policy.variables?.[name]
  if (found === undefined) throw new Error(`undefined variable \${${name}}`)
  return found
}

/** The names among `values` that refer to variables the district has not configured (null). */
export function unconfiguredVariables(policy: Policy, values: unknown[]): string[] {
  const names = values.map(varName).filter((name): name is string => name !== undefined && policy.variables?.[name] === null)
  return [...new Set(names)]
}
