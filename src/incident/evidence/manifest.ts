// manifest.json lists the SHA-256 of every file in the evidence folder (sorted by path) and is
// signed as written: manifest.sig is the base64 RSA-SHA256 signature of manifest.json's bytes.
// Verification recomputes everything from the folder, so a changed, added or removed file shows.
import {createHash, verify, X509Certificate} from 'node:crypto'
import {constants} from 'node:fs'
import {open, readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import type {EvidenceFile, EvidenceManifest, EvidenceVerification} from '../types.js'
import {keyFingerprint, normaliseFingerprint, type Signer} from './signer.js'
import {writeNewFile} from '../../os/safe-dir.js'

export const MANIFEST_FILE = 'manifest.json'
export const SIGNATURE_FILE = 'manifest.sig'

const EVIDENCE_SCHEMA = 'nm-guard/evidence@1'

const byPath = (a: {path: string}, b: {path: string}): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/** manifest.json's bytes exactly as written (and signed): what its SHA-256 is taken over. */
export const manifestBytes = (manifest: EvidenceManifest): Buffer => Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)

/** Thrown by hashFolder for an entry that is not a regular file or a folder (a planted link). */
export class NotRegularFileError extends Error {
  constructor(public readonly path: string) {
    super(`${path} is not a regular file (a link?): the manifest lists regular files only`)
    this.name = 'NotRegularFileError'
  }
}

/** SHA-256 and size of a regular file, opened without following a link (a link fails: ELOOP). */
async function hashRegularFile(path: string): Promise<{bytes: number; sha256: string} | null> {
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return null
    throw error
  }
  try {
    if (!(await handle.stat()).isFile()) return null
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of handle.createReadStream({autoClose: false}) as AsyncIterable<Buffer>) {
      bytes += chunk.length
      hash.update(chunk)
    }
    return {bytes, sha256: hash.digest('hex')}
  } finally {
    await handle.close()
  }
}

/**
 * Every regular file under `dir` except the manifest and its signature, hashed and sorted by path,
 * and the paths of anything else found (links, devices, pipes): never followed, never hashed.
 */
async function scanFolder(dir: string): Promise<{files: EvidenceFile[]; notRegular: string[]}> {
  const files: EvidenceFile[] = []
  const notRegular: string[] = []
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), {withFileTypes: true})) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        await walk(rel)
        continue
      }
      const hashed = entry.isFile() ? await hashRegularFile(join(dir, rel)) : null
      if (rel === MANIFEST_FILE || rel === SIGNATURE_FILE) {
        if (!hashed) notRegular.push(rel)
      } else if (hashed) files.push({path: rel, ...hashed})
      else notRegular.push(rel)
    }
  }
  await walk('')
  return {files: files.sort(byPath), notRegular: notRegular.sort()}
}

/**
 * Every file under `dir` except the manifest and its signature, hashed, sorted by path. Anything
 * that is not a regular file (a link someone planted) is refused: NotRegularFileError (#11 2.1).
 */
export async function hashFolder(dir: string): Promise<EvidenceFile[]> {
  const {files, notRegular} = await scanFolder(dir)
  if (notRegular.length > 0) throw new NotRegularFileError(notRegular[0] as string)
  return files
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
  await writeNewFile(manifestPath, bytes, 0o600)
  await writeNewFile(join(dir, SIGNATURE_FILE), `${signer.sign(bytes)}\n`, 0o600)
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
  const scanned = await scanFolder(dir)
  const actual = new Map(scanned.files.map((f) => [f.path, f]))
  const listed = new Map((manifest?.files ?? []).map((f) => [f.path, f]))
  const changed: string[] = []
  const removed: string[] = []
  for (const [path, file] of listed) {
    const found = actual.get(path)
    // A listed file now a link is reported as not regular, not also as removed.
    if (!found) {
      if (!scanned.notRegular.includes(path)) removed.push(path)
    } else if (found.sha256 !== file.sha256 || found.bytes !== file.bytes) changed.push(path)
  }
  const added = [...actual.keys()].filter((path) => !listed.has(path))
  const result: EvidenceVerification = {
    added: added.sort(),
    changed: changed.sort(),
    ok: false,
    // Links and other non-files are never followed or hashed: their presence alone breaks the folder.
    not_regular: scanned.notRegular,
    removed: removed.sort(),
    signature: state,
    signer: manifest?.signer ?? null,
  }
  if (options.trusted !== undefined) {
    result.trusted = manifest !== null && state === 'valid' && keyFingerprint(manifest.signer.public_key_pem) === normaliseFingerprint(options.trusted)
  }
  result.ok = state === 'valid' && changed.length === 0 && added.length === 0 && removed.length === 0 && scanned.notRegular.length === 0 && result.trusted !== false
  return result
}
