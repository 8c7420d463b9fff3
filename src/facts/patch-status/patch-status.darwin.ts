// macOS: the last OS/security update from InstallHistory.plist (UTC dates; `softwareupdate
// --history` is the fallback, its dates follow the user's locale), and what is pending from
// `softwareupdate --list --no-scan`, which reads the catalogue softwareupdated last downloaded and
// never goes to the network. That catalogue can be old, so "nothing pending" counts only when the
// last successful check (LastSuccessfulDate) is recent.
import {installRecords, type InstallRecord} from '../darwin/install-history.js'
import {isDict, readPlist} from '../darwin/plist.js'
import {INSTALL_HISTORY_PLIST, TOOLS} from '../../os/tools.darwin.js'
import {daysSince, latestIso} from '../dates.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

const SOFTWARE_UPDATE_PLIST = '/Library/Preferences/com.apple.SoftwareUpdate.plist'
/** Past this, an empty cached catalogue says nothing about what is pending now. */
export const STALE_CHECK_DAYS = 14

const UPDATER_PROCESSES = /^(softwareupdated|software update|macos installer|os x installer|system preferences|system settings)$/i
const SECURITY_TITLE = /security|rapid security response|background security improvement/i

/**
 * An OS patch: what Software Update or the macOS installer put on, or an Apple security update
 * run by hand. Security *data* (XProtect, MRT, Gatekeeper "config-data") updates itself every
 * week or so and would make an unpatched Mac look current, so it does not count.
 */
export function isOsPatch(record: InstallRecord): boolean {
  if (record.contentType === 'config-data') return false
  if (record.processName && UPDATER_PROCESSES.test(record.processName)) return true
  return /security (update|response)/i.test(record.displayName)
}

export function lastPatchFromHistory(records: InstallRecord[]): null | string {
  return latestIso(records.filter(isOsPatch).map((r) => r.date))
}

const CONFIG_DATA_NAME = /configdata|config data|xprotect|mrt|gatekeeper|payloads|compatibility/i

/**
 * `softwareupdate --history`: "Display Name  Version  Date" columns, the date as the locale
 * prints it ("11/05/2026, 10:31:02" in en_US, "2026/5/11 10:31" in zh_CN). Day/month order is
 * taken from the values when one exceeds 12, else month-first (en_US); times are read as UTC.
 */
export function lastPatchFromHistoryText(text: string): null | string {
  const dates: string[] = []
  for (const line of text.split('\n')) {
    const m = /^(.*?)\s+(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(line)
    if (!m) continue
    const name = (m[1] as string).split(/\s{2,}/)[0] ?? ''
    if (CONFIG_DATA_NAME.test(name)) continue
    const [a, b, c] = [m[2], m[3], m[4]].map(Number) as [number, number, number]
    let year: number, month: number, day: number
    if ((m[2] as string).length === 4) [year, month, day] = [a, b, c]
    else if (a > 12) [day, month, year] = [a, b, c]
    else [month, day, year] = [a, b, c]
    if (year < 100) year += 2000
    const t = Date.UTC(year, month - 1, day, Number(m[5]), Number(m[6]), Number(m[7] ?? 0))
    if (!Number.isNaN(t) && month >= 1 && month <= 12) dates.push(new Date(t).toISOString())
  }
  return latestIso(dates)
}

export interface PendingUpdate {
  label: string
  title: null | string
  recommended: boolean
}

/** `softwareupdate --list`: "* Label: X" (recommended) or "- Label: X", then a "Title: …" line. */
export function parseSoftwareUpdateList(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = []
  for (const line of text.split('\n')) {
    const label = /^\s*([*-])\s*Label:\s*(.+?)\s*$/.exec(line)
    if (label) {
      updates.push({label: label[2] as string, recommended: label[1] === '*', title: null})
      continue
    }
    const title = /^\s*Title:\s*(.+?),\s*Version:/.exec(line)
    const last = updates.at(-1)
    if (title && last && last.title === null) last.title = title[1] as string
  }
  return updates
}

export const isSecurityUpdate = (u: PendingUpdate): boolean => SECURITY_TITLE.test(u.label) || SECURITY_TITLE.test(u.title ?? '')

export interface PatchInputs {
  lastPatchAt: null | string
  /** Output of `softwareupdate --list --no-scan`, null when it could not run. */
  listText: null | string
  /** When softwareupdated last checked successfully, null when unknown. */
  lastCheckAt: null | string
}

export function patchStatusRow(input: PatchInputs, now: Date): Row {
  let pending: null | number = null
  let security: null | number = null
  if (input.listText !== null) {
    const updates = parseSoftwareUpdateList(input.listText)
    const age = daysSince(input.lastCheckAt, now)
    // Listed updates are pending whatever the catalogue's age; an empty list needs a fresh check.
    if (updates.length > 0 || (age !== null && age <= STALE_CHECK_DAYS)) {
      pending = updates.length
      security = updates.filter(isSecurityUpdate).length
    }
  }
  return {
    days_since_patch: daysSince(input.lastPatchAt, now),
    last_check_at: input.lastCheckAt,
    last_patch_at: input.lastPatchAt,
    pending_count: pending,
    pending_security_count: security,
    source: 'softwareupdate',
  }
}

async function lastPatch(ctx: CollectContext): Promise<null | string | undefined> {
  const history = await readPlist(ctx.exec, INSTALL_HISTORY_PLIST)
  if (history !== null) return lastPatchFromHistory(installRecords(history))
  const text = await ctx.exec(TOOLS.softwareupdate, ['--history'], {timeoutMs: 30_000})
  if (text.code !== 0) return undefined
  return lastPatchFromHistoryText(text.stdout)
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [last, list, prefs] = await Promise.all([
    lastPatch(ctx),
    ctx.exec(TOOLS.softwareupdate, ['--list', '--no-scan'], {timeoutMs: 30_000}).catch(() => null),
    readPlist(ctx.exec, SOFTWARE_UPDATE_PLIST).catch(() => null),
  ])
  if (last === undefined) throw new FactError('failed', `cannot read ${INSTALL_HISTORY_PLIST} or softwareupdate --history`)
  const lastCheck = isDict(prefs) && prefs.LastSuccessfulDate instanceof Date ? prefs.LastSuccessfulDate.toISOString() : null
  // "No new software available." goes to stderr; a list goes to stdout.
  const listText = list && list.code === 0 ? `${list.stdout}\n${list.stderr}` : null
  return [patchStatusRow({lastCheckAt: lastCheck, lastPatchAt: last, listText}, ctx.now())]
}
