// Anti-malware on Linux: ClamAV (package, clamd/freshclam/clamonacc processes, signature database
// age) and the domestic products of known-products.ts (奇安信天擎, 火绒, 瑞星, 360…) by package and
// process name. One row per product found; none found is an empty table ("no antivirus").
import {openSync, readdirSync, readSync, closeSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {daysSince, latestIso, toIso} from '../dates.js'
import {FactError} from '../../os/fact-error.js'
import {ANTIVIRUS_PRODUCTS, type KnownProduct, productForPackage, productForProcess, sightedAntivirusRow} from '../known-products.js'
import {installedPackages, type InstalledPackage} from '../linux/packages.js'
import {listProcesses, type ProcessEntry} from '../linux/proc-processes.js'
import type {CollectContext, Row} from '../types.js'

const CLAMAV = 'ClamAV'

/**
 * The build time in a .cvd/.cld header, "ClamAV-VDB:16 Apr 2020 07-58 -0400:25784:2267600:63:md5:
 * dsig:builder:1587038339": the last field is the build time in epoch seconds, the second the same
 * time as "%d %b %Y %H-%M %z".
 */
export function parseCvdHeader(header: string): null | string {
  if (!header.startsWith('ClamAV-VDB:')) return null
  const fields = header.replace(/[\0\s]+$/, '').split(':')
  const epoch = Number(fields[8])
  if (Number.isInteger(epoch) && epoch > 0) return toIso(epoch * 1000)
  const m = /^(\d{1,2}) (\w{3}) (\d{4}) (\d\d)-(\d\d) ([+-]\d{4})$/.exec(fields[1] ?? '')
  if (!m) return null
  const [, d, mon, y, h, mi, tz] = m as unknown as string[]
  return toIso(Date.parse(`${d} ${mon} ${y} ${h}:${mi}:00 ${tz}`))
}

export interface ClamavDatabase {
  /** Build times read from the headers. */
  builtAt: Array<null | string>
  /** File modification times (when freshclam last wrote them). */
  modifiedAt: Array<null | string>
}

/** Reads the first 512 bytes and the mtime of each *.cvd / *.cld in the ClamAV database folder. */
export function readClamavDatabase(root = '/'): ClamavDatabase {
  const dir = join(root, 'var', 'lib', 'clamav')
  const db: ClamavDatabase = {builtAt: [], modifiedAt: []}
  let names: string[] = []
  try {
    names = readdirSync(dir).filter((n) => /\.(cvd|cld)$/.test(n))
  } catch {
    return db
  }
  for (const name of names) {
    const path = join(dir, name)
    try {
      db.modifiedAt.push(toIso(statSync(path).mtimeMs))
      const fd = openSync(path, 'r')
      try {
        const buf = Buffer.alloc(512)
        const n = readSync(fd, buf, 0, 512, 0)
        db.builtAt.push(parseCvdHeader(buf.subarray(0, n).toString('latin1')))
      } finally {
        closeSync(fd)
      }
    } catch {
      // unreadable file: skip
    }
  }
  return db
}

export interface AntivirusEvidence {
  packages: Array<Pick<InstalledPackage, 'name'>>
  processes: Array<Pick<ProcessEntry, 'comm' | 'name'>>
  clamav: ClamavDatabase
}

const processesOf = (product: KnownProduct, processes: AntivirusEvidence['processes']): string[] =>
  processes.filter((p) => productForProcess([product], p.name) || productForProcess([product], p.comm)).map((p) => p.name)

export function antivirusRows(evidence: AntivirusEvidence, now: Date): Row[] {
  const rows: Row[] = []
  for (const product of ANTIVIRUS_PRODUCTS) {
    const running = processesOf(product, evidence.processes)
    const installed = evidence.packages.some((p) => productForPackage([product], p.name))
    if (product.name === CLAMAV) {
      const hasDb = evidence.clamav.builtAt.length > 0 || evidence.clamav.modifiedAt.length > 0
      if (!installed && running.length === 0 && !hasDb) continue
      // Prefer the build time inside the database: a stale mirror re-serves old signatures fresh.
      const updated = latestIso(evidence.clamav.builtAt) ?? latestIso(evidence.clamav.modifiedAt)
      rows.push({
        name: CLAMAV,
        // On-access scanning is clamonacc's job (clamd alone only scans on request).
        realtime_enabled: running.includes('clamonacc'),
        running: running.length > 0,
        signatures_age_days: daysSince(updated, now),
        signatures_updated_at: updated,
        source: 'clamav',
        up_to_date: null,
      })
      continue
    }
    if (!installed && running.length === 0) continue
    rows.push(sightedAntivirusRow(product.name, running.length > 0, running.length > 0 ? 'process' : 'package'))
  }
  return rows
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const [inventory, processes] = await Promise.all([
    // Without any package database the processes still tell what runs.
    installedPackages(ctx, root).catch((error: unknown) => {
      if (error instanceof FactError && error.kind === 'missing_tool') return {packages: [], sources: []}
      throw error
    }),
    listProcesses(ctx, root),
  ])
  return antivirusRows({clamav: readClamavDatabase(root), packages: inventory.packages, processes}, ctx.now())
}
