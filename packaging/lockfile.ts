// Pins for packages the lockfile holds (the keyring's per-platform modules), read from package-lock.json.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Pin} from './pins.js'

interface LockEntry {
  version?: string
  integrity?: string
}

export function lockfilePin(root: string, name: string): Pin {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>}
  const entry = lock.packages[`node_modules/${name}`]
  if (!entry?.version || !entry.integrity) throw new Error(`package-lock.json has no pinned entry for ${name}`)
  return {integrity: entry.integrity, name, version: entry.version}
}
