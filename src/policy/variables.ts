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
