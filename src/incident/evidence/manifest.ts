// manifest.json lists the SHA-256 of every file in the evidence folder (sorted by path) and is
// signed as written: manifest.sig is the base64 RSA-SHA256 signature of manifest.json's bytes.
// Verification recomputes everything from the folder, so a changed, added or removed file shows.
import {createHash, verify, X509Certificate} from 'node:crypto'
import {lstat, readdir, readFile, readlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import type {EvidenceFile, EvidenceManifest, EvidenceVerification} from '../types.js'
import {keyFingerprint, normaliseFingerprint, type Signer} from './signer.js'
import {hashFile} from './hash-file.js'

export const MANIFEST_FILE = 'manifest.json'
export const SIGNATURE_FILE = 'manifest.sig'

const EVIDENCE_SCHEMA = 'nm-guard/evidence@1'

const byPath = (a: {path: string}, b: {path: string}): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/** manifest.json's bytes exactly as written (and signed): what its SHA-256 is taken over. */
export const manifestBytes = (manifest: EvidenceManifest): Buffer => Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)

/** Every file under `dir` except the manifest and its signature, hashed, sorted by path. */
export async function hashFolder(dir: string): Promise<EvidenceFile[]> {
  const files: EvidenceFile[] = []
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), {withFileTypes: true})) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name
      if (rel === MANIFEST_FILE || rel === SIGNATURE_FILE) continue
      const full = join(dir, rel)
      if (entry.isDirectory()) await walk(rel)
      else if (entry.isFile()) files.push({path: rel, ...(await hashFile(full))})
      else {
        // Not a regular file (a symlink someone planted, say): never followed, but it counts.
        const data = Buffer.from(entry.isSymbolicLink() ? `symlink:${await readlink(full)}` : `special:${(await lstat(full)).mode}`)
        files.push({bytes: data.length, path: rel, sha256: createHash('sha256').update(data).digest('hex')})
      }
    }
  }
  await walk('')
  return files.sort(byPath)
}

/** Hashes the folder, writes manifest.json and manifest.sig; returns the manifest and its hash. */
export async function writeSignedManifest(
  dir: string,
  fields: Omit<EvidenceManifest, 'files' | 'schema' | 'signer'>,
  signer: Signer,
): Promise<{manifest: EvidenceManifest; manifestPath: string; manifestSha256: string}> {
  const {fingerprint, kind, public_key_pem: publicKeyPem, certificate_pem: certificatePem} = signer
  const manifest: EvidenceManifest = {
    schema: EVIDENCE_SCHEMA,
    ...fields,
    files: await hashFolder(dir),
    signer: {fingerprint, kind, public_key_pem: publicKeyPem, ...(certificatePem ? {certificate_pem: certificatePem} : {})},
  }
  const bytes = manifestBytes(manifest)
  const manifestPath = join(dir, MANIFEST_FILE)
  await writeFile(manifestPath, bytes, {mode: 0o600})
  await writeFile(join(dir, SIGNATURE_FILE), `${signer.sign(bytes)}\n`, {mode: 0o600})
  return {manifest, manifestPath, manifestSha256: createHash('sha256').update(bytes).digest('hex')}
}

function parseManifest(bytes: Buffer): EvidenceManifest | null {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as EvidenceManifest
    const ok =
      value?.schema === EVIDENCE_SCHEMA &&
      Array.isArray(value.files) &&
      value.files.every((f) => typeof f?.path === 'string' && typeof f.sha256 === 'string') &&
      typeof value.signer?.public_key_pem === 'string'
    return ok ? value : null
  } catch {
    return null
  }
}

function signatureState(bytes: Buffer, signature: null | string, manifest: EvidenceManifest | null): EvidenceVerification['signature'] {
  if (signature === null) return 'missing'
  if (!manifest) return 'invalid'
  try {
    if (!verify('sha256', bytes, manifest.signer.public_key_pem, Buffer.from(signature.trim(), 'base64'))) return 'invalid'
    // A certificate that names another key than the one that signed means the signer is not who it claims.
    if (manifest.signer.certificate_pem && keyFingerprint(new X509Certificate(manifest.signer.certificate_pem).publicKey) !== keyFingerprint(manifest.signer.public_key_pem)) {
      return 'invalid'
    }
    return 'valid'
  } catch {
    return 'invalid'
  }
}

/**
 * Whether the folder is exactly what was signed. Without `trusted`, this proves the folder matches
 * the key named inside it; with `trusted` (a fingerprint known from elsewhere, e.g. the collector's
 * record of the agent), it also proves who signed.
 */
export async function verifyEvidence(dir: string, options: {trusted?: string} = {}): Promise<EvidenceVerification> {
  let bytes: Buffer
  try {
    bytes = await readFile(join(dir, MANIFEST_FILE))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError('incident.notEvidence', {dir, file: MANIFEST_FILE}, EXIT.error)
    throw new UserError('incident.manifestUnreadable', {error: (error as Error).message, file: join(dir, MANIFEST_FILE)}, EXIT.error)
  }
  let signature: null | string = null
  try {
    signature = await readFile(join(dir, SIGNATURE_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const manifest = parseManifest(bytes)
  const state = signatureState(bytes, signature, manifest)
  const actual = new Map((await hashFolder(dir)).map((f) => [f.path, f]))
  const listed = new Map((manifest?.files ?? []).map((f) => [f.path, f]))
  const changed: string[] = []
  const removed: string[] = []
  for (const [path, file] of listed) {
    const found = actual.get(path)
    if (!found) removed.push(path)
    else if (found.sha256 !== file.sha256 || found.bytes !== file.bytes) changed.push(path)
  }
  const added = [...actual.keys()].filter((path) => !listed.has(path))
  const result: EvidenceVerification = {
    added: added.sort(),
    changed: changed.sort(),
    ok: false,
    removed: removed.sort(),
    signature: state,
    signer: manifest?.signer ?? null,
  }
  if (options.trusted !== undefined) {
    result.trusted = manifest !== null && state === 'valid' && keyFingerprint(manifest.signer.public_key_pem) === normaliseFingerprint(options.trusted)
  }
  result.ok = state === 'valid' && changed.length === 0 && added.length === 0 && removed.length === 0 && result.trusted !== false
  return result
}
