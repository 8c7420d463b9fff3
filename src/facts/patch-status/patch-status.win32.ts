// When Windows was last patched: Win32_QuickFixEngineering (CBS hotfixes, InstalledOn as a date
// string) and the Windows Update Agent's own history (Microsoft.Update.Session QueryHistory),
// whichever is newer.
//
// Pending updates are reported as null (unknown) on purpose: the only way to count them is an
// IUpdateSearcher.Search, which even with Online=$false walks the whole update datastore and
// takes seconds to minutes, and all tables share one PowerShell process. The Microsoft.Update.
// AutoUpdate Results object gives only the last successful search/installation dates, which are
// reported as last_search_at so a machine that never checks for updates is visible.
import {daysSince, latestIso} from '../dates.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'
import {int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'
import {parseWinDate} from '../win32/win-dates.js'

const HISTORY_LIMIT = 300

/**
 * InstalledOn is read from the raw CIM property: PowerShell's type data would otherwise turn it
 * into a locale-dependent DateTime. The Windows Update Agent's dates are UTC with no kind, so they
 * are written as ISO here: ConvertTo-Json would take them for local time and shift them.
 */
export const SCRIPT = `$qfe = @(Get-CimInstance -ClassName Win32_QuickFixEngineering -ErrorAction SilentlyContinue | Select-Object 'HotFixID', 'Description', @{ Name = 'InstalledOn'; Expression = { $_.CimInstanceProperties['InstalledOn'].Value } })
$history = @()
$historyError = $null
try {
  $searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
  $count = $searcher.GetTotalHistoryCount()
  if ($count -gt 0) {
    $history = @($searcher.QueryHistory(0, [Math]::Min($count, ${HISTORY_LIMIT})) | Select-Object @{ Name = 'Date'; Expression = { $_.Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture) } }, @{ Name = 'Operation'; Expression = { [int]$_.Operation } }, @{ Name = 'ResultCode'; Expression = { [int]$_.ResultCode } }, 'Title')
  }
} catch { $historyError = $_.Exception.Message }
$autoUpdate = $null
try { $autoUpdate = (New-Object -ComObject Microsoft.Update.AutoUpdate).Results | Select-Object @{ Name = 'LastSearchSuccessDate'; Expression = { if ($_.LastSearchSuccessDate -is [datetime]) { $_.LastSearchSuccessDate.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture) } } } } catch { }
[pscustomobject]@{ qfe = $qfe; history = $history; historyError = $historyError; autoUpdate = $autoUpdate }`

/** OperationResultCode: 2 succeeded, 3 succeeded with errors. UpdateOperation: 1 installation. */
const SUCCEEDED = new Set([2, 3])
const INSTALLATION = 1

/**
 * Defender's daily definition ("security intelligence") and platform updates and the monthly
 * removal tool fill the history without patching anything; only KB-numbered updates count,
 * which also leaves out drivers (no KB number).
 */
const NOT_A_PATCH = /Security Intelligence Update|Definition Update|antimalware platform|Malicious Software Removal Tool|安全智能更新|定义更新|反恶意软件平台|恶意软件删除工具/i

export function isPatch(title: null | string): boolean {
  return title !== null && /KB\d{6,8}/i.test(title) && !NOT_A_PATCH.test(title)
}

export function latestQfe(qfe: PsObject[]): null | string {
  return latestIso(qfe.map((q) => parseWinDate(q.InstalledOn)))
}

export function latestHistoryPatch(history: PsObject[]): null | string {
  return latestIso(
    history
      .filter((h) => SUCCEEDED.has(int(h.ResultCode) ?? -1) && (int(h.Operation) ?? INSTALLATION) === INSTALLATION && isPatch(str(h.Title)))
      .map((h) => parseWinDate(h.Date)),
  )
}

export function parsePatchStatus(fragment: unknown[], now: Date): Row[] {
  const data = single(fragment)
  const last = latestIso([latestQfe(objects(data.qfe)), latestHistoryPatch(objects(data.history))])
  const autoUpdate = single(objects(data.autoUpdate))
  const historyError = str(data.historyError)
  // No hotfix dates and an unreadable update history is "cannot tell", not "never patched".
  if (last === null && historyError) throw new FactError('failed', `Windows Update history unavailable: ${historyError}`)
  return [
    {
      days_since_patch: daysSince(last, now),
      last_patch_at: last,
      last_search_at: parseWinDate(autoUpdate.LastSearchSuccessDate),
      pending_count: null,
      pending_security_count: null,
      source: 'windows-update',
    },
  ]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parsePatchStatus(await runFragment(ctx, 'patch_status', SCRIPT, 'Win32_QuickFixEngineering / Windows Update history'), ctx.now())
}
