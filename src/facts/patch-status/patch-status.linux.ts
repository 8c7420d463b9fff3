// When the system was last patched and what is still pending.
// dpkg systems (Debian/Ubuntu, 统信UOS, 银河麒麟 desktop): the last upgrade in /var/log/dpkg.log*,
// pending updates from an offline `apt-get -s dist-upgrade` (cached: it takes seconds).
// rpm systems (麒麟 server, 中标麒麟, openEuler, RHEL): newest package INSTALLTIME, pending from
// `dnf --cacheonly check-update` / `updateinfo list --security` (yum on older ones).
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'

import {daysSince, latestIso} from '../dates.js'
import {FactError, missingTool, needsAdmin} from '../../os/fact-error.js'
import {fileFingerprint} from '../fact-cache.js'
import {installedPackages} from '../linux/packages.js'
import type {CollectContext, ExecResult, Row} from '../types.js'

export interface DpkgLogSummary {
  /** Local time "YYYY-MM-DD HH:MM:SS" of the newest "upgrade" action, null when none. */
  lastUpgrade: null | string
  /** Local time of the newest "status installed" line, null when none. */
  lastInstalled: null | string
}

/** Scans dpkg.log text ("2026-09-22 04:45:23 upgrade pkg:amd64 old new", "… status installed pkg ver"). */
export function parseDpkgLog(text: string): DpkgLogSummary {
  let lastUpgrade: null | string = null
  let lastInstalled: null | string = null
  for (const line of text.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (upgrade|status installed) /.exec(line)
    if (!m) continue
    const [, when, what] = m as unknown as [string, string, string]
    // Same-width timestamps compare correctly as strings.
    if (what === 'upgrade') {
      if (!lastUpgrade || when > lastUpgrade) lastUpgrade = when
    } else if (!lastInstalled || when > lastInstalled) lastInstalled = when
  }
  return {lastInstalled, lastUpgrade}
}

/** dpkg logs local wall-clock time without a zone: read it as this machine's local time. */
export function localTimeToIso(naive: null | string): null | string {
  if (!naive) return null
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(naive)
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi, s)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

export interface PendingUpdates {
  pending: number
  security: number
  /** Names of the packages counted as security updates. */
  securityPackages: string[]
}

/**
 * Parses `apt-get -s dist-upgrade`: "Inst pkg [old] (new Origin:Version/Archive[, …] [arch])".
 * A security update is one whose candidate comes from an archive, origin or label naming "security"
 * (Debian-Security:12/stable-security, Ubuntu:22.04/jammy-security…).
 */
export function parseAptSimulation(text: string): PendingUpdates & {packages: string[]} {
  const packages: string[] = []
  const securityPackages: string[] = []
  for (const line of text.split('\n')) {
    const m = /^Inst (\S+)(?: \[[^\]]*\])?(?: \(([^)]*)\))?/.exec(line)
    if (!m) continue
    const [, name, release] = m as unknown as [string, string, string | undefined]
    packages.push(name)
    if (release && /security/i.test(release)) securityPackages.push(name)
  }
  return {packages, pending: packages.length, security: securityPackages.length, securityPackages}
}

/**
 * Parses `dnf -q check-update` (exit 100 when updates exist): "name.arch  [epoch:]version  repo".
 * A name too long for the 80 columns dnf assumes off a terminal pushes version and repository onto
 * the next line. The "Obsoleting Packages" section repeats packages already listed: counting stops.
 */
export function parseDnfCheckUpdate(text: string): number {
  const names = new Set<string>()
  let carried: string[] = []
  for (const line of text.split('\n')) {
    if (/^Obsoleting Packages/i.test(line)) break
    const cols = [...carried, ...line.trim().split(/\s+/).filter(Boolean)]
    carried = []
    if (cols.length === 1 && /^\S+\.\w+$/.test(cols[0] as string)) carried = cols
    else if (cols.length === 3 && /\.\w+$/.test(cols[0] as string) && /\d/.test(cols[1] as string)) names.add(cols[0] as string)
  }
  return names.size
}

/**
 * Parses `dnf updateinfo list --security` ("RHSA-2021:0218 Important/Sec. kernel-…x86_64") and
 * yum 3's `updateinfo list` ("RHSA-2020:0001 security firefox-…"); counts distinct packages.
 */
export function parseDnfSecurity(text: string): number {
  const packages = new Set<string>()
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/)
    if (cols.length === 3 && /sec/i.test(cols[1] as string)) packages.add(cols[2] as string)
  }
  return packages.size
}

export interface PatchFigures {
  lastPatchAt: null | string
  pending: null | PendingUpdates
  source: string
}

export function patchRow(figures: PatchFigures, now: Date): Row {
  return {
    days_since_patch: daysSince(figures.lastPatchAt, now),
    last_patch_at: figures.lastPatchAt,
    pending_count: figures.pending?.pending ?? null,
    pending_security_count: figures.pending?.security ?? null,
    source: figures.source,
  }
}

/** dpkg.log, dpkg.log.1, dpkg.log.2.gz… newest first. */
function dpkgLogs(root: string): string[] {
  const dir = join(root, 'var', 'log')
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const rank = (name: string): number => {
    const m = /^dpkg\.log(?:\.(\d+))?(?:\.gz)?$/.exec(name)
    return m ? Number(m[1] ?? 0) : -1
  }
  return names
    .filter((n) => rank(n) >= 0)
    .sort((a, b) => rank(a) - rank(b))
    .map((n) => join(dir, n))
}

/**
 * The last upgrade, reading rotated logs only until one has an upgrade in it. A system never
 * upgraded since installation falls back to its newest installation (its patch level then).
 */
export function lastDpkgPatch(root = '/'): {found: boolean; iso: null | string} {
  const logs = dpkgLogs(root)
  let lastInstalled: null | string = null
  for (const file of logs) {
    let text: string
    try {
      const raw = readFileSync(file)
      text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')
    } catch {
      continue
    }
    const summary = parseDpkgLog(text)
    if (summary.lastUpgrade) return {found: true, iso: localTimeToIso(summary.lastUpgrade)}
    if (summary.lastInstalled && (!lastInstalled || summary.lastInstalled > lastInstalled)) lastInstalled = summary.lastInstalled
  }
  return {found: logs.length > 0, iso: localTimeToIso(lastInstalled)}
}

const isMissing = (error: unknown): boolean => error instanceof FactError && error.kind === 'missing_tool'

/** What makes apt's answer change: its lists, the dpkg status, sources and preferences. */
export const APT_FINGERPRINT_PATHS = [
  'var/lib/apt/lists',
  'var/lib/dpkg/status',
  'etc/apt/sources.list',
  'etc/apt/sources.list.d',
  'etc/apt/preferences.d',
  'etc/apt/apt.conf.d',
]

export const APT_SIM_ARGS = ['-s', '-o', 'Debug::NoLocking=1', 'dist-upgrade']

async function aptPending(ctx: CollectContext, root: string): Promise<PendingUpdates> {
  // 统信UOS keeps its security repository in its own list; simulating with only that list names
  // the security updates even when the repository's Release file does not say "security".
  const securityList = join(root, 'etc', 'apt', 'sources.list.d', 'security.list')
  const hasSecurityList = existsSync(securityList)
  const opts = {env: {LANG: 'C', LC_ALL: 'C'}, timeoutMs: 60_000}
  const run = async (args: string[]): Promise<string> => {
    const result = await ctx.exec('apt-get', args, opts)
    if (result.code !== 0) {
      const detail = (result.stderr || result.stdout).trim().split('\n').find((l) => l.startsWith('E:')) ?? result.stderr.trim().split('\n')[0] ?? ''
      throw new FactError('failed', `apt-get -s dist-upgrade exited ${result.code}${detail ? `: ${detail.slice(0, 200)}` : ''}`)
    }
    return result.stdout
  }
  const [all, securityOnly] = await Promise.all([
    run(APT_SIM_ARGS),
    hasSecurityList ? run(['-s', '-o', 'Debug::NoLocking=1', '-o', `Dir::Etc::SourceList=${securityList}`, '-o', 'Dir::Etc::SourceParts=/dev/null', 'dist-upgrade']) : Promise.resolve(''),
  ])
  const parsed = parseAptSimulation(all)
  const security = new Set(parsed.securityPackages)
  for (const name of parseAptSimulation(securityOnly).packages) if (parsed.packages.includes(name)) security.add(name)
  return {pending: parsed.pending, security: security.size, securityPackages: [...security].sort()}
}

export const DNF_FINGERPRINT_PATHS = ['var/cache/dnf', 'var/cache/yum', 'var/lib/rpm', 'etc/yum.repos.d', 'etc/dnf/dnf.conf']

async function dnfPending(ctx: CollectContext, tool: 'dnf' | 'yum'): Promise<PendingUpdates> {
  const opts = {env: {LANG: 'C', LC_ALL: 'C'}, timeoutMs: 60_000}
  const [check, security] = await Promise.all([
    ctx.exec(tool, ['-q', '--cacheonly', 'check-update'], opts),
    ctx.exec(tool, ['-q', '--cacheonly', 'updateinfo', 'list', '--security'], opts),
  ])
  const failed = (r: ExecResult, ok: number[]): boolean => !ok.includes(r.code ?? -1)
  if (failed(check, [0, 100]) || failed(security, [0])) {
    const bad = failed(check, [0, 100]) ? check : security
    const detail = (bad.stderr || bad.stdout).trim().split('\n')[0] ?? ''
    // A non-root user has no copy of root's metadata cache.
    if (!(await ctx.isAdmin())) throw needsAdmin(`${tool} --cacheonly check-update (${detail.slice(0, 120)})`)
    throw new FactError('failed', `${tool} --cacheonly check-update exited ${bad.code}${detail ? `: ${detail.slice(0, 200)}` : ''}`)
  }
  return {pending: parseDnfCheckUpdate(check.stdout), security: parseDnfSecurity(security.stdout), securityPackages: []}
}

async function pendingFrom(ctx: CollectContext, root: string): Promise<{pending: null | PendingUpdates; source: null | string}> {
  const apt = async (): Promise<PendingUpdates> => {
    const fingerprint = await fileFingerprint(APT_FINGERPRINT_PATHS.map((p) => join(root, p)))
    return ctx.cached('apt-pending', fingerprint, () => aptPending(ctx, root))
  }
  try {
    return {pending: await apt(), source: 'apt'}
  } catch (error) {
    if (!isMissing(error)) throw error
  }
  for (const tool of ['dnf', 'yum'] as const) {
    try {
      const fingerprint = await fileFingerprint(DNF_FINGERPRINT_PATHS.map((p) => join(root, p)))
      return {pending: await ctx.cached(`${tool}-pending`, fingerprint, () => dnfPending(ctx, tool)), source: tool}
    } catch (error) {
      if (!isMissing(error)) throw error
    }
  }
  return {pending: null, source: null}
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const dpkg = lastDpkgPatch(root)
  const [pending, inventory] = await Promise.all([
    pendingFrom(ctx, root),
    // rpm systems: the newest INSTALLTIME, from the inventory installed_software reads anyway.
    dpkg.found ? Promise.resolve(null) : installedPackages(ctx, root).catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error))),
  ])
  // Without a dpkg log (trimmed images), dpkg's per-package dates stand in the same way.
  const native = inventory?.packages.filter((p) => p.source === 'rpm' || p.source === 'dpkg') ?? []
  const lastPatchAt = dpkg.found ? dpkg.iso : latestIso(native.map((p) => p.install_date))
  if (!dpkg.found && native.length === 0 && !pending.source) throw missingTool('apt-get', 'apt or dnf')
  const source = pending.source ?? (dpkg.found ? 'dpkg' : (native[0]?.source ?? 'rpm'))
  return [patchRow({lastPatchAt, pending: pending.pending, source}, ctx.now())]
}
