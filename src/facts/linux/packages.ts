// Installed packages from every package system present (dpkg, rpm, snap, flatpak). installed_software
// lists them; antivirus and patch_status look things up in them, so one read serves all three.
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {FactError} from '../../os/fact-error.js'
import {toIso} from '../dates.js'
import type {CollectContext, ExecResult} from '../types.js'
import {perContext} from '../per-context.js'

export type PackageSource = 'dpkg' | 'flatpak' | 'rpm' | 'snap'

export interface InstalledPackage {
  name: string
  version: null | string
  publisher: null | string
  source: PackageSource
  install_date: null | string
  location: null | string
  user: null | string
}

/** dpkg-query fields, tab-separated; ${Status} tells installed from removed-but-configured. */
export const DPKG_QUERY_ARGS = ['-W', '-f', '${Package}\t${Version}\t${Maintainer}\t${Status}\t${Architecture}\n']
export const RPM_QUERY_ARGS = ['-qa', '--queryformat', '%{NAME}\t%{VERSION}-%{RELEASE}\t%{VENDOR}\t%{INSTALLTIME}\t%{ARCH}\n']
export const SNAP_LIST_ARGS = ['list']
export const FLATPAK_LIST_ARGS = ['list', '--app', '--columns=application,name,version,origin,installation']

const orNull = (value: string | undefined): null | string => {
  const v = value?.trim()
  return v && v !== '(none)' ? v : null
}

export interface DpkgEntry extends InstalledPackage {
  architecture: null | string
}

/** Parses dpkg-query output (DPKG_QUERY_ARGS); only packages whose status is "installed". */
export function parseDpkgQuery(text: string): DpkgEntry[] {
  const out: DpkgEntry[] = []
  for (const line of text.split('\n')) {
    const [name, version, maintainer, status, arch] = line.split('\t')
    if (!name || status?.trim().split(/\s+/)[2] !== 'installed') continue
    out.push({
      architecture: orNull(arch),
      install_date: null,
      location: null,
      name,
      publisher: orNull(maintainer),
      source: 'dpkg',
      user: null,
      version: orNull(version),
    })
  }
  return out
}

/** Parses `rpm -qa` with RPM_QUERY_ARGS. gpg-pubkey entries are imported keys, not software. */
export function parseRpmQuery(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = []
  for (const line of text.split('\n')) {
    const [name, version, vendor, installTime] = line.split('\t')
    if (!name || name === 'gpg-pubkey') continue
    const seconds = Number.parseInt(installTime ?? '', 10)
    out.push({
      install_date: Number.isNaN(seconds) ? null : toIso(seconds * 1000),
      location: null,
      name,
      publisher: orNull(vendor),
      source: 'rpm',
      user: null,
      version: orNull(version),
    })
  }
  return out
}

/**
 * Parses `snap list`: Name Version Rev Tracking Publisher Notes, blank-separated. The publisher
 * carries a verification mark (✓, or ** when not on a terminal; ✪ / * for starred developers).
 */
export function parseSnapList(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = []
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 5 || (cols[0] === 'Name' && cols[1] === 'Version')) continue
    const [name, version, , , publisher] = cols as [string, string, string, string, string]
    out.push({
      install_date: null,
      location: `/snap/${name}/current`,
      name,
      publisher: orNull(publisher.replace(/[✓✪*]+$/u, '')),
      source: 'snap',
      user: null,
      version: version === '-' ? null : version,
    })
  }
  return out
}

/** Parses FLATPAK_LIST_ARGS output: tab-separated, no header when not on a terminal. */
export function parseFlatpakList(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = []
  for (const line of text.split('\n')) {
    const [app, , version, origin, installation] = line.split('\t')
    if (!app?.trim() || app === 'Application ID') continue
    out.push({
      install_date: null,
      // "user" installations live in the home of whoever ran flatpak (root here): no fixed path.
      location: installation?.trim() === 'system' ? `/var/lib/flatpak/app/${app.trim()}` : null,
      name: app.trim(),
      // Flatpak has no publisher field; the remote (flathub…) says where it came from.
      publisher: orNull(origin),
      source: 'flatpak',
      user: null,
      version: orNull(version),
    })
  }
  return out
}

/**
 * dpkg rewrites info/<pkg>.list (or <pkg>:<arch>.list) whenever it unpacks a package, so its mtime
 * is when that package was last installed or upgraded. One readdir and a stat per package.
 */
export function dpkgInstallDates(root = '/'): Map<string, string> {
  const dir = join(root, 'var', 'lib', 'dpkg', 'info')
  const dates = new Map<string, string>()
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return dates
  }
  for (const file of names) {
    if (!file.endsWith('.list')) continue
    try {
      const iso = toIso(statSync(join(dir, file)).mtimeMs)
      if (iso) dates.set(file.slice(0, -'.list'.length), iso)
    } catch {
      // removed while we looked
    }
  }
  return dates
}

export interface PackageInventory {
  packages: InstalledPackage[]
  /** Package systems that answered. */
  sources: PackageSource[]
}

const isMissing = (error: unknown): boolean => error instanceof FactError && error.kind === 'missing_tool'

async function attempt(run: () => Promise<ExecResult>): Promise<ExecResult | null> {
  try {
    return await run()
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
}

function failure(tool: string, result: ExecResult): FactError {
  const detail = (result.stderr || result.stdout).trim().split('\n')[0] ?? ''
  return new FactError('failed', `${tool} exited ${result.code}${detail ? `: ${detail.slice(0, 200)}` : ''}`)
}

/**
 * Where each package system keeps its database. Starting a program costs tens of milliseconds
 * here, so a tool runs only where its database exists (a Debian box with the `rpm` tool for alien
 * has no /var/lib/rpm; no snapd, no /var/lib/snapd).
 */
export const PACKAGE_DATABASES: Record<PackageSource, string[]> = {
  dpkg: ['var/lib/dpkg/status'],
  flatpak: ['var/lib/flatpak'],
  rpm: ['var/lib/rpm', 'usr/lib/sysimage/rpm'],
  snap: ['var/lib/snapd'],
}

export const hasDatabase = (root: string, source: PackageSource): boolean => PACKAGE_DATABASES[source].some((p) => existsSync(join(root, p)))

async function readInventory(ctx: CollectContext, root: string): Promise<PackageInventory> {
  const opts = {env: {LC_ALL: 'C.UTF-8'}, timeoutMs: 15_000}
  const run = (source: PackageSource, file: string, args: string[], timeoutMs = 15_000): Promise<ExecResult | null> =>
    hasDatabase(root, source) ? attempt(() => ctx.exec(file, args, {...opts, timeoutMs})) : Promise.resolve(null)
  const [dpkg, rpm, snap, flatpak] = await Promise.all([
    run('dpkg', 'dpkg-query', DPKG_QUERY_ARGS),
    run('rpm', 'rpm', RPM_QUERY_ARGS),
    // snap and flatpak are extras: a stopped snapd must not cost the whole inventory.
    run('snap', 'snap', SNAP_LIST_ARGS, 5000).catch(() => null),
    run('flatpak', 'flatpak', FLATPAK_LIST_ARGS, 5000).catch(() => null),
  ])
  if (!dpkg && !rpm && !snap && !flatpak) {
    throw new FactError('missing_tool', 'no package system found: neither dpkg, rpm, snap nor flatpak is installed')
  }
  const packages: InstalledPackage[] = []
  const sources: PackageSource[] = []
  if (dpkg) {
    // dpkg-query exits 1 when some selected package is unknown; with -W and no names it is a real failure.
    if (dpkg.code !== 0 && !dpkg.stdout.trim()) throw failure('dpkg-query', dpkg)
    const dates = dpkgInstallDates(root)
    for (const p of parseDpkgQuery(dpkg.stdout)) {
      const {architecture, ...pkg} = p
      pkg.install_date = dates.get(p.name) ?? (architecture ? dates.get(`${p.name}:${architecture}`) : undefined) ?? null
      packages.push(pkg)
    }
    sources.push('dpkg')
  }
  if (rpm) {
    if (rpm.code !== 0 && !rpm.stdout.trim()) throw failure('rpm', rpm)
    packages.push(...parseRpmQuery(rpm.stdout))
    sources.push('rpm')
  }
  if (snap?.code === 0) {
    packages.push(...parseSnapList(snap.stdout))
    sources.push('snap')
  }
  if (flatpak?.code === 0) {
    packages.push(...parseFlatpakList(flatpak.stdout))
    sources.push('flatpak')
  }
  return {packages, sources}
}

/** Every installed package, read once per gathering. Throws when no package system exists. */
export function installedPackages(ctx: CollectContext, root = '/'): Promise<PackageInventory> {
  return perContext(ctx, `packages:${root}`, () => readInventory(ctx, root))
}
