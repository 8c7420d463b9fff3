// The collector's folder: its CA, server certificate, settings and the admin token's hash. Keys are
// written 0600 and never leave this folder; the admin token exists in clear only in init's output.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {isIP} from 'node:net'
import {join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {createCa, createServerCert, type KeyAndCert} from './pki.js'
import {caFingerprint} from './protocol.js'

export const FILES = {
  caKey: 'ca.key.pem',
  caCert: 'ca.cert.pem',
  serverKey: 'server.key.pem',
  serverCert: 'server.cert.pem',
  settings: 'collector.json',
} as const

export interface CollectorSettings {
  hosts: string[]
  created_at: string
  ca_fingerprint: string
  admin_token_sha256: string
}

export interface CollectorDir {
  dir: string
  settings: CollectorSettings
  ca: KeyAndCert
  server: KeyAndCert
}

export interface InitResult {
  dir: string
  hosts: string[]
  ca_fingerprint: string
  admin_token: string
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** A secret token: 32 random bytes, base64url, with a prefix saying what it is for. */
export const newToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`

/** Compares a presented secret with a stored SHA-256 hash in constant time. */
export function matchesHash(presented: string, storedHex: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest()
  const b = Buffer.from(storedHex, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

export function checkHost(host: string): void {
  if (isIP(host) === 0 && !HOST_NAME.test(host)) throw new UserError('collector.badHost', {host})
}

export function initCollectorDir(dir: string, hosts: string[], now = new Date()): InitResult {
  for (const host of hosts) checkHost(host)
  // Overwriting would orphan every enrolled agent (their CA would be gone): refuse instead.
  if (existsSync(join(dir, FILES.settings)) || existsSync(join(dir, FILES.caKey))) throw new UserError('collector.dirExists', {dir})
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError('collector.dirNotEmpty', {dir})
  mkdirSync(dir, {recursive: true, mode: 0o700})
  tightenCollectorDir(dir)
  const ca = createCa()
  const server = createServerCert(ca, hosts)
  const adminToken = newToken('nmg_admin')
  const settings: CollectorSettings = {hosts, created_at: now.toISOString(), ca_fingerprint: caFingerprint(ca.certPem), admin_token_sha256: sha256Hex(adminToken)}
  writeFileSync(join(dir, FILES.caKey), ca.keyPem, {mode: 0o600, flag: 'wx'})
  writeFileSync(join(dir, FILES.caCert), ca.certPem, {mode: 0o600, flag: 'wx'})
  writeFileSync(join(dir, FILES.serverKey), server.keyPem, {mode: 0o600, flag: 'wx'})
  writeFileSync(join(dir, FILES.serverCert), server.certPem, {mode: 0o600, flag: 'wx'})
  writeFileSync(join(dir, FILES.settings), `${JSON.stringify(settings, null, 2)}\n`, {mode: 0o600, flag: 'wx'})
  return {dir, hosts, ca_fingerprint: settings.ca_fingerprint, admin_token: adminToken}
}

/**
 * The folder 0700 and every file in it 0600, whatever was there before (an existing 0755 folder
 * given to init, a database an older version made 0644). Links are left alone, never followed.
 */
export function tightenCollectorDir(dir: string): void {
  if (!existsSync(dir)) return
  // Only the owner may change modes: another account reading an export leaves that to the owner.
  const chmod = (path: string, mode: number) => {
    try {
      chmodSync(path, mode)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error
    }
  }
  chmod(dir, 0o700)
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isFile()) chmod(join(dir, entry.name), 0o600)
  }
}

export function loadCollectorDir(dir: string): CollectorDir {
  tightenCollectorDir(dir)
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8')
    } catch {
      throw new UserError('collector.dirMissing', {dir, file: name})
    }
  }
  let settings: CollectorSettings
  try {
    settings = JSON.parse(read(FILES.settings)) as CollectorSettings
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError('collector.dirInvalid', {dir, file: FILES.settings})
  }
  if (!Array.isArray(settings.hosts) || typeof settings.admin_token_sha256 !== 'string') throw new UserError('collector.dirInvalid', {dir, file: FILES.settings})
  return {
    dir,
    settings,
    ca: {keyPem: read(FILES.caKey), certPem: read(FILES.caCert)},
    server: {keyPem: read(FILES.serverKey), certPem: read(FILES.serverCert)},
  }
}

const DURATION = /^(\d+)([smhd])$/
const UNIT_MS = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const

/** "24h", "7d", "30m" → milliseconds; null when it is not one of those. */
export function parseDuration(text: string): null | number {
  const match = DURATION.exec(text.trim())
  if (!match) return null
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  return ms > 0 ? ms : null
}
