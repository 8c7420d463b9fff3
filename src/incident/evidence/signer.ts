// Who signs the evidence manifest: the agent's key (its certificate ties it to this PC at the
// collector) when the PC is enrolled, else a local RSA key made once for the purpose and reused, so
// every incident on this PC is signed by the same fingerprint.
import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, X509Certificate} from 'node:crypto'
import {readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {type AgentPaths, agentPaths as defaultAgentPaths} from '../../agent/paths.js'
import {UserError} from '../../cli/user-error.js'
import {stateDir} from '../../config/state-dir.js'
import type {EvidenceManifest} from '../types.js'
import {ensureRootDir} from '../../os/safe-dir.js'

export type SignerInfo = EvidenceManifest['signer']

export interface Signer extends SignerInfo {
  /** Base64 RSA-SHA256 (PKCS#1 v1.5) signature of `data`. */
  sign: (data: Buffer) => string
}

export interface SignerOptions {
  /** The enrolled agent's files (default: agentPaths() under the state dir). */
  agentPaths?: Pick<AgentPaths, 'cert' | 'key'>
  /** The local key used when no agent is enrolled (default: localSigningKeyPath()). */
  localKeyPath?: string
}

export const localSigningKeyPath = (root: string = stateDir()): string => join(root, 'incident', 'evidence-signing.key.pem')

/** SHA-256 of the public key's SPKI DER, lower-case hex. */
export function keyFingerprint(key: KeyObject | string): string {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key
  return createHash('sha256').update(publicKey.export({format: 'der', type: 'spki'})).digest('hex')
}

/** Accepts `AB:CD:…` or plain hex, any case. */
export const normaliseFingerprint = (fingerprint: string): string => fingerprint.replaceAll(':', '').trim().toLowerCase()

function makeSigner(kind: SignerInfo['kind'], privateKey: KeyObject, certificatePem?: string): Signer {
  const publicKey = createPublicKey(privateKey)
  const info: SignerInfo = {
    fingerprint: keyFingerprint(publicKey),
    kind,
    public_key_pem: publicKey.export({format: 'pem', type: 'spki'}).toString(),
    ...(certificatePem ? {certificate_pem: certificatePem} : {}),
  }
  return {...info, sign: (data) => sign('sha256', data, privateKey).toString('base64')}
}

async function readIfPresent(path: string): Promise<null | string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** The agent's key and certificate, if both are there and belong together. */
async function agentSigner(paths: Pick<AgentPaths, 'cert' | 'key'>): Promise<null | Signer> {
  const [keyPem, certPem] = await Promise.all([readIfPresent(paths.key), readIfPresent(paths.cert)])
  if (!keyPem || !certPem) return null
  try {
    const privateKey = createPrivateKey(keyPem)
    const cert = new X509Certificate(certPem)
    if (privateKey.asymmetricKeyType !== 'rsa' || keyFingerprint(cert.publicKey) !== keyFingerprint(privateKey)) return null
    return makeSigner('agent', privateKey, certPem)
  } catch {
    // A damaged enrolment must not stop evidence from being signed: the local key takes over.
    return null
  }
}

async function localSigner(path: string): Promise<Signer> {
  const existing = await readIfPresent(path)
  if (existing !== null) {
    try {
      return makeSigner('local', createPrivateKey(existing))
    } catch (error) {
      throw new UserError('incident.signerKeyDamaged', {error: (error as Error).message, path})
    }
  }
  ensureRootDir(dirname(path))
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  try {
    await writeFile(path, privateKey.export({format: 'pem', type: 'pkcs8'}), {flag: 'wx', mode: 0o600})
  } catch (error) {
    // Another nm-guard made it first: use that one, so the fingerprint stays the same.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return localSigner(path)
    throw error
  }
  return makeSigner('local', privateKey)
}

export async function loadSigner(options: SignerOptions = {}): Promise<Signer> {
  const agent = await agentSigner(options.agentPaths ?? defaultAgentPaths())
  return agent ?? localSigner(options.localKeyPath ?? localSigningKeyPath())
}
