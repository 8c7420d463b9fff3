// The parsed form of policies that validated, under <state dir>/cache/policy-<key>.json. The key
// covers the policy text and every input of its validation, so a hit is exactly what a fresh
// parse would give.
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {packageRoot} from '../config/package-root.js'
import {packageVersion} from '../config/package-version.js'
import {stateDir as defaultStateDir} from '../config/state-dir.js'
import {TABLES} from '../facts/registry.js'
import {writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import type {Policy} from './types.js'

interface Compiled {
  sha256: string
  policy: Policy
}

let validatorDigest: string | undefined

/** What judged a policy: the schema, the table specs (facts and columns), nm-guard's version. */
function judgedBy(): string {
  validatorDigest ??= createHash('sha256')
    .update(readFileSync(join(packageRoot(), 'policies', 'policy.schema.json')))
    .update(JSON.stringify(TABLES.map((t) => t.spec)))
    .update(packageVersion())
    .digest('hex')
  return validatorDigest
}

function cacheFile(text: string, dir: string): string {
  const key = createHash('sha256').update(judgedBy()).update('\0').update(text).digest('hex')
  return join(dir, 'cache', `policy-${key.slice(0, 32)}.json`)
}

export async function readCompiled(text: string, dir = defaultStateDir()): Promise<Compiled | undefined> {
  try {
    const compiled = JSON.parse(await readFile(cacheFile(text, dir), 'utf8')) as Compiled
    const sha256 = createHash('sha256').update(text).digest('hex')
    return compiled.sha256 === sha256 ? compiled : undefined
  } catch {
    return undefined
  }
}

export async function writeCompiled(text: string, sha256: string, policy: Policy, dir = defaultStateDir()): Promise<void> {
  const file = cacheFile(text, dir)
  try {
    // As the fact cache: no link followed, root's folder only, a new file renamed over (#11 2.1).
    ensureRootDir(join(dir, 'cache'), 0o700)
    await writeFileAtomic(file, JSON.stringify({policy, sha256} satisfies Compiled), 0o600)
  } catch {
    // A read-only (or refused) state dir only costs speed.
  }
}
