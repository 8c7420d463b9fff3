// macOS: applications from `system_profiler SPApplicationsDataType -json`. `-detailLevel mini`
// keeps name, version, "obtained from", signature, modification date and location (checked
// against captured mini output) and skips work we do not need. It can still take seconds.
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

interface SpApplication {
  _name?: unknown
  version?: unknown
  obtained_from?: unknown
  path?: unknown
  lastModified?: unknown
  signed_by?: unknown
}

const OBTAINED_FROM: Record<string, string> = {apple: 'Apple', mac_app_store: 'Mac App Store'}

/**
 * The developer named by the leaf signing certificate: "Developer ID Application: Oray Inc
 * (ABCDE12345)" → "Oray Inc". Apple's own signatures ("Software Signing") mean Apple; the
 * App Store re-signs apps as Apple, so those fall back to where the app came from.
 */
export function publisherFrom(signedBy: unknown, obtainedFrom: unknown): null | string {
  const leaf = Array.isArray(signedBy) && typeof signedBy[0] === 'string' ? signedBy[0] : null
  if (leaf) {
    const developer = /^(?:Developer ID Application|Apple Distribution|Apple Development|Mac Developer|3rd Party Mac Developer Application):\s*(.+?)(?:\s*\([A-Z0-9]{10}\))?\s*$/.exec(leaf)
    if (developer) return developer[1] as string
    if (/^(?:macOS |Apple )?Software Signing$/.test(leaf)) return 'Apple'
  }
  return typeof obtainedFrom === 'string' ? (OBTAINED_FROM[obtainedFrom] ?? null) : null
}

export function parseSpApplications(json: string): Row[] {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    throw new FactError('failed', 'system_profiler SPApplicationsDataType printed invalid JSON')
  }
  const items = (data as {SPApplicationsDataType?: unknown})?.SPApplicationsDataType
  if (!Array.isArray(items)) throw new FactError('failed', 'system_profiler printed no SPApplicationsDataType list')
  const rows: Row[] = []
  for (const item of items as SpApplication[]) {
    if (typeof item?._name !== 'string' || item._name === '') continue
    const path = typeof item.path === 'string' ? item.path : null
    const modified = typeof item.lastModified === 'string' && !Number.isNaN(Date.parse(item.lastModified)) ? new Date(item.lastModified).toISOString().slice(0, 10) : null
    rows.push({
      // The bundle's last modification is the closest macOS records to an install date.
      install_date: modified,
      location: path,
      name: item._name,
      publisher: publisherFrom(item.signed_by, item.obtained_from),
      source: 'app',
      user: path ? (/^\/Users\/([^/]+)\//.exec(path)?.[1] ?? null) : null,
      version: typeof item.version === 'string' && item.version.trim() !== '' ? item.version.trim() : null,
    })
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const result = await execOk(ctx.exec, TOOLS.systemProfiler, ['SPApplicationsDataType', '-json', '-detailLevel', 'mini'], {timeoutMs: 19_000})
  return parseSpApplications(result.stdout)
}
