// Documents agents send are checked against the JSON schemas shipped in policies/.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv} from 'ajv'

import {packageRoot} from '../../config/package-root.js'

/** A JSON-schema check from policies/<file>, compiled on first use; null or the first problem found. */
export function schemaValidator(file: string, schemaId: string): (data: unknown) => null | string {
  let validator: ReturnType<Ajv['compile']> | undefined
  return (data) => {
    if (!validator) {
      const schema = JSON.parse(readFileSync(join(packageRoot(), 'policies', file), 'utf8')) as object
      validator = new Ajv({allErrors: false, strict: false}).compile(schema)
    }
    if (validator(data)) return null
    const error = validator.errors?.[0]
    return `not a ${schemaId}: ${error?.instancePath || '/'} ${error?.message ?? 'is invalid'}`
  }
}
