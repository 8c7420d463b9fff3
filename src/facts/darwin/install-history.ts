// /Library/Receipts/InstallHistory.plist: every update and package macOS installed, with UTC
// dates. Preferred over `softwareupdate --history`, whose dates follow the user's locale.
import {isDict, type PlistValue} from './plist.js'

export interface InstallRecord {
  date: null | string
  displayName: string
  displayVersion: null | string
  processName: null | string
  /** "config-data" for security data files (XProtect, MRT, Gatekeeper) that update on their own. */
  contentType: null | string
  packageIdentifiers: string[]
}

export function installRecords(plist: PlistValue | null): InstallRecord[] {
  if (!Array.isArray(plist)) return []
  const records: InstallRecord[] = []
  for (const item of plist) {
    if (!isDict(item)) continue
    const date = item.date instanceof Date && !Number.isNaN(item.date.getTime()) ? item.date.toISOString() : null
    const str = (key: string): null | string => {
      const v = item[key]
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
    }
    const ids = Array.isArray(item.packageIdentifiers) ? item.packageIdentifiers.filter((v): v is string => typeof v === 'string') : []
    records.push({
      contentType: str('contentType'),
      date,
      displayName: str('displayName') ?? '',
      displayVersion: str('displayVersion'),
      packageIdentifiers: ids,
      processName: str('processName'),
    })
  }
  return records
}
