// Validates a policy against policies/policy.schema.json (ajv), reporting each problem once, at
// the most specific place (oneOf branches produce a cloud of errors; the deepest ones say most).
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv, type ErrorObject} from 'ajv'

import {packageRoot} from '../config/package-root.js'
import {type PathSegment, pointerToPath} from './yaml-locate.js'
import type {MessageKey} from '../i18n/messages.js'

export interface SchemaIssue {
  path: PathSegment[]
  /** The property name to point at (an unknown key), not its value. */
  propertyKey?: string
  /** schema.<ajv keyword>, with its values: the words come from the catalogues. */
  key: MessageKey
  params: Record<string, number | string>
}

let validator: ReturnType<Ajv['compile']> | undefined

function compiled(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'policies', 'policy.schema.json'), 'utf8')) as object
    validator = new Ajv({allErrors: true, strict: false}).compile(schema)
  }
  return validator
}

export function schemaIssues(data: unknown): SchemaIssue[] {
  const validate = compiled()
  if (validate(data)) return []
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if')
  const byPath = new Map<string, ErrorObject[]>()
  for (const error of errors) byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error])
  const paths = [...byPath.keys()]
  const issues: SchemaIssue[] = []
  for (const pointer of paths) {
    const deeper = paths.some((q) => q !== pointer && q.startsWith(`${pointer}/`))
    // With errors further down, the branch the author meant is the one that reached down there:
    // the other branches' complaints at this level are noise.
    const all = (byPath.get(pointer) ?? []).filter((e) => !(deeper && e.schemaPath.includes('/oneOf/')))
    const list = likeliestBranch(all)
    for (const extra of list.filter((e) => e.keyword === 'additionalProperties')) {
      const name = String((extra.params as {additionalProperty: string}).additionalProperty)
      issues.push({key: 'schema.additionalProperties', params: {property: name}, path: pointerToPath(pointer), propertyKey: name})
    }
    for (const missing of list.filter((e) => e.keyword === 'required')) issues.push({...describe(missing, list), path: pointerToPath(pointer)})
    // A type or enum complaint about a container whose children have errors of their own only echoes them.
    const rest = list.filter((e) => e.keyword !== 'additionalProperties' && e.keyword !== 'required')
    const enums = all.filter((e) => e.keyword === 'enum')
    if (enums.length > 0 && !deeper) issues.push({...describe(enums[0] as ErrorObject, enums), path: pointerToPath(pointer)})
    else if (rest.length > 0 && !deeper) issues.push({...describe(rest[0] as ErrorObject, rest), path: pointerToPath(pointer)})
  }
  return issues
}

/** Under a oneOf each branch complains; the branch with the fewest complaints is the one the author meant. */
function likeliestBranch(list: ErrorObject[]): ErrorObject[] {
  const branch = (e: ErrorObject): string | undefined => /^(.*\/oneOf\/\d+)\//.exec(e.schemaPath)?.[1]
  const groups = new Map<string, ErrorObject[]>()
  for (const e of list) {
    const b = branch(e)
    if (b !== undefined) groups.set(b, [...(groups.get(b) ?? []), e])
  }
  if (groups.size <= 1) return list
  const best = [...groups.values()].reduce((a, b) => (b.length <= a.length ? b : a))
  return [...list.filter((e) => branch(e) === undefined), ...best]
}

/** Keywords with their own wording; any other reads as "does not match the schema (keyword)". */
const WORDED = ['type', 'pattern', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'minProperties', 'const', 'propertyNames'] as const
const isWorded = (keyword: string): keyword is (typeof WORDED)[number] => (WORDED as readonly string[]).includes(keyword)

function describe(error: ErrorObject, all: ErrorObject[]): {key: MessageKey; params: Record<string, number | string>} {
  const allowed = all.filter((e) => e.keyword === 'enum').flatMap((e) => (e.params as {allowedValues: unknown[]}).allowedValues)
  if (allowed.length > 0) return {key: 'schema.enum', params: {allowed: allowed.join(', ')}}
  if (error.keyword === 'required') return {key: 'schema.required', params: {property: String((error.params as {missingProperty: string}).missingProperty)}}
  const keyword = error.keyword
  if (!isWorded(keyword)) return {key: 'schema.other', params: {keyword}}
  const p = error.params as {type?: string | string[]; pattern?: string; limit?: number; allowedValue?: unknown}
  const type = Array.isArray(p.type) ? p.type.join('/') : (p.type ?? '')
  return {key: `schema.${keyword}`, params: {limit: p.limit ?? '', pattern: p.pattern ?? '', type, value: String(p.allowedValue ?? '')}}
}
