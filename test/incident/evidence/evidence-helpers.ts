// Shared by the evidence tests: a temp folder, a throwaway local signer, and reading results back.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {loadSigner, type Signer} from '../../../src/incident/evidence/signer.js'
import type {EvidenceItemResult, EvidenceManifest} from '../../../src/incident/types.js'

export function tempDir(prefix: string): {path: string; remove: () => void} {
  const path = mkdtempSync(join(tmpdir(), `nmg-${prefix}-`))
  return {path, remove: () => rmSync(path, {force: true, recursive: true})}
}

/** A fresh temp folder for each test of the calling `describe`, removed after it. */
export function useTempDir(prefix: string): {readonly path: string} {
  let current: ReturnType<typeof tempDir> | undefined
  beforeEach(() => {
    current = tempDir(prefix)
  })
  afterEach(() => current?.remove())
  return {
    get path(): string {
      if (!current) throw new Error('useTempDir: the folder exists only inside a test')
      return current.path
    },
  }
}

/** A local signer whose key lives in `dir` (no agent there). */
export const localSigner = (dir: string): Promise<Signer> =>
  loadSigner({agentPaths: {cert: join(dir, 'none.cert.pem'), key: join(dir, 'none.key.pem')}, localKeyPath: join(dir, 'signing.key.pem')})

export const itemNamed = (manifest: EvidenceManifest, name: string): EvidenceItemResult => {
  const found = manifest.items.find((i) => i.name === name)
  if (!found) throw new Error(`no item ${name} in the manifest`)
  return found
}

export const readEvidence = (dir: string, relative: string): Buffer => readFileSync(join(dir, relative))
