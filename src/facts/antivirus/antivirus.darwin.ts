// macOS: XProtect, Apple's built-in scanner (it checks code on launch, so it is always on), plus
// third-party products recognised by their running processes. XProtect's rules live in
// /Library/Apple/System/Library/CoreServices/XProtect.bundle and, since macOS 15, in
// /var/protected/xprotect/XProtect.bundle, which is updated separately over iCloud; the newer
// of the two is what XProtect uses. Its date is the latest of the bundle's modification time and
// the XProtectPlistConfigData install recorded in InstallHistory.plist.
import {installRecords} from '../darwin/install-history.js'
import {listProcesses, type DarwinProcess} from '../darwin/processes.js'
import {dictString, isDict, readPlist} from '../darwin/plist.js'
import {DARWIN_ANTIVIRUS} from '../darwin/security-products.js'
import {INSTALL_HISTORY_PLIST, TOOLS} from '../../os/tools.darwin.js'
import {daysSince, latestIso, toIso} from '../dates.js'
import {ANTIVIRUS_PRODUCTS, productForProcess, sightedAntivirusRow} from '../known-products.js'
import type {CollectContext, Row} from '../types.js'

export const XPROTECT_BUNDLES = [
  '/Library/Apple/System/Library/CoreServices/XProtect.bundle',
  '/var/protected/xprotect/XProtect.bundle',
] as const

export interface XProtectBundle {
  path: string
  version: string
  /** Info.plist modification time, ISO; null when unknown. */
  modifiedAt: null | string
}

/** `stat -f '%m %N' …` → path → ISO mtime. */
export function parseStatMtimes(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^(\d+) (.+)$/.exec(line.trim())
    const iso = m ? toIso(Number(m[1]) * 1000) : null
    if (m && iso) out.set(m[2] as string, iso)
  }
  return out
}

/** The bundle XProtect uses: the highest version (they are plain integers, e.g. 5287). */
export function newestBundle(bundles: XProtectBundle[]): XProtectBundle | null {
  let best: XProtectBundle | null = null
  for (const b of bundles) if (!best || Number(b.version) > Number(best.version)) best = b
  return best
}

export function xprotectRow(bundle: XProtectBundle, installedAt: null | string, now: Date): Row {
  const updated = latestIso([bundle.modifiedAt, installedAt])
  return {
    name: 'XProtect',
    realtime_enabled: true,
    running: true,
    signatures_age_days: daysSince(updated, now),
    signatures_updated_at: updated,
    source: 'xprotect',
    up_to_date: null,
    version: bundle.version,
  }
}

/** Third-party products with a running process, one row each. */
export function productRows(processes: DarwinProcess[]): Row[] {
  const rows = new Map<string, Row>()
  for (const p of processes) {
    const product = productForProcess(DARWIN_ANTIVIRUS, p.name) ?? productForProcess(ANTIVIRUS_PRODUCTS, p.name)
    if (!product || rows.has(product.name)) continue
    rows.set(product.name, {...sightedAntivirusRow(product.name, true, 'process'), version: null})
  }
  return [...rows.values()]
}

async function readBundles(ctx: CollectContext): Promise<XProtectBundle[]> {
  const infos = XPROTECT_BUNDLES.map((b) => `${b}/Contents/Info.plist`)
  const [plists, stat] = await Promise.all([
    Promise.all(infos.map((path) => readPlist(ctx.exec, path))),
    // Exits 1 when one path is missing but still prints the others.
    ctx.exec(TOOLS.stat, ['-f', '%m %N', ...infos], {timeoutMs: 5000}),
  ])
  const mtimes = parseStatMtimes(stat.stdout)
  const bundles: XProtectBundle[] = []
  plists.forEach((plist, i) => {
    const version = isDict(plist) ? (dictString(plist, 'CFBundleShortVersionString') ?? dictString(plist, 'CFBundleVersion')) : null
    const info = infos[i] as string
    if (version) bundles.push({modifiedAt: mtimes.get(info) ?? null, path: XPROTECT_BUNDLES[i] as string, version})
  })
  return bundles
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [bundles, history, processes] = await Promise.all([
    readBundles(ctx),
    readPlist(ctx.exec, INSTALL_HISTORY_PLIST),
    listProcesses(ctx.exec),
  ])
  const rows: Row[] = []
  const bundle = newestBundle(bundles)
  if (bundle) {
    const installs = installRecords(history).filter((r) => /^XProtectPlistConfigData/i.test(r.displayName) && r.displayVersion === bundle.version)
    rows.push(xprotectRow(bundle, latestIso(installs.map((r) => r.date)), ctx.now()))
  }
  rows.push(...productRows(processes))
  return rows
}
