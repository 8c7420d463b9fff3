// Anti-malware on Windows: products registered with Security Center (root\SecurityCenter2
// AntiVirusProduct), Microsoft Defender's own status (Get-MpComputerStatus), and whether each
// product's processes actually run (known-products.ts). A product that is registered but not
// running is reported with running=false: malware has disabled 火绒, 360 and 天擎 that way.
import {daysSince} from '../dates.js'
import {unsupported} from '../../os/fact-error.js'
import {ANTIVIRUS_PRODUCTS, type KnownProduct, productForProcess, sightedAntivirusRow} from '../known-products.js'
import type {CollectContext, Row} from '../types.js'
import {processList, type WinProcess} from '../win32/process-list.js'
import {bool, int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'
import {parseWinDate} from '../win32/win-dates.js'

/**
 * SecurityCenter2 does not exist on Windows Server ("Invalid namespace"): that source is then
 * unsupported and Defender is still read. Get-MpComputerStatus fails (0x800106ba) when the
 * Defender service is stopped, e.g. because another product took over.
 */
export const SCRIPT = `$wsc = @()
$wscError = $null
try {
  $wsc = @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName AntiVirusProduct -ErrorAction Stop | Select-Object 'displayName', 'productState', 'timestamp', 'pathToSignedProductExe', 'pathToSignedReportingExe')
} catch { $wscError = $_.Exception.Message }
$mp = $null
$mpError = $null
if (Get-Command -Name Get-MpComputerStatus -ErrorAction SilentlyContinue) {
  try {
    $mp = Get-MpComputerStatus -ErrorAction Stop | Select-Object 'AMRunningMode', 'AMServiceEnabled', 'AntivirusEnabled', 'RealTimeProtectionEnabled', 'AntivirusSignatureLastUpdated', 'AntivirusSignatureAge', 'AntivirusSignatureVersion', 'DefenderSignaturesOutOfDate'
  } catch { $mpError = $_.Exception.Message }
} else { $mpError = 'Get-MpComputerStatus is not available (Defender is not installed)' }
[pscustomobject]@{ wsc = $wsc; wscError = $wscError; mp = $mp; mpError = $mpError }`

export interface ProductState {
  /** Real-time scanning on (WSC_SECURITY_PRODUCT_STATE ON); snoozed and expired count as off. */
  enabled: boolean
  upToDate: boolean
  microsoft: boolean
}

/**
 * productState packs three bytes, 0xTTSSDD: SS bits 12-15 are the scanner state (0 off, 1 on,
 * 2 snoozed, 3 expired; 0x10/0x11 on, 0x00/0x01 off, the low bit marking a Microsoft product),
 * DD bits 4-7 the signature state (0x00 up to date, 0x10 out of date). Source: the ProductState,
 * SignatureStatus and ProductOwner flag enums of homotechsual's "Monitoring AV with PowerShell"
 * (2023 revision), matching the WSC API's WSC_SECURITY_PRODUCT_STATE and the widely used table
 * 266240 = on/current, 262144 = off/current, 393488 = off/out of date.
 */
export function decodeProductState(state: number): ProductState {
  return {
    enabled: ((state >> 12) & 0xf) === 1,
    microsoft: ((state >> 8) & 0xf) === 1,
    upToDate: ((state >> 4) & 0xf) === 0,
  }
}

/** Display names seen in SecurityCenter2 → known product (天擎 before 360: "360天擎"). */
const NAME_HINTS: Array<[RegExp, string]> = [
  [/defender/i, 'Microsoft Defender'],
  [/火绒|huorong/i, '火绒安全 Huorong'],
  [/天擎|奇安信|\bQAX\b|tianqing/i, '奇安信天擎 QAX'],
  [/360/, '360安全卫士 / 360杀毒'],
  [/电脑管家|QQPC|Tencent/i, '腾讯电脑管家'],
  [/瑞星|rising/i, '瑞星 Rising'],
  [/金山|毒霸|kingsoft/i, '金山毒霸 Kingsoft'],
  [/江民|jiangmin/i, '江民 Jiangmin'],
  [/亚信|趋势|Trend Micro|Apex One|OfficeScan/i, '亚信安全 Trend Micro'],
  [/深信服|sangfor/i, '深信服 EDR'],
  [/启明星辰|venus/i, '启明星辰'],
  [/天融信|topsec/i, '天融信 Topsec'],
]

const baseName = (path: null | string): null | string => {
  if (!path || !/[\\/]/.test(path)) return null
  return path.split(/[\\/]/).pop() ?? null
}

export function identifyProduct(displayName: string, paths: Array<null | string>): KnownProduct | undefined {
  for (const path of paths) {
    const file = baseName(path)
    const byProcess = file ? productForProcess(ANTIVIRUS_PRODUCTS, file) : undefined
    if (byProcess) return byProcess
  }
  const hint = NAME_HINTS.find(([re]) => re.test(displayName))?.[1]
  return hint ? ANTIVIRUS_PRODUCTS.find((p) => p.name === hint) : undefined
}

const runningNames = (processes: WinProcess[]): Set<string> => new Set(processes.map((p) => p.name.toLowerCase().replace(/\.exe$/, '')))

function productRunning(product: KnownProduct, names: Set<string>): boolean {
  return product.processes.some((p) => names.has(p.toLowerCase().replace(/\.exe$/, '')))
}

const DEFENDER = 'Microsoft Defender'
/** Get-MpComputerStatus writes 4294967295 (or 65535 on old builds) for "never updated". */
const NEVER = 65_535

function defenderRow(mp: PsObject, wscEntry: PsObject | undefined, running: boolean, now: Date): Row {
  const mode = str(mp.AMRunningMode)
  // Passive / EDR block / SxS passive modes do not block on access; "Not running" is off.
  const activeMode = mode === null || /^normal$/i.test(mode)
  const realtime = running && activeMode && bool(mp.RealTimeProtectionEnabled) === true
  const updatedAt = parseWinDate(mp.AntivirusSignatureLastUpdated)
  const reportedAge = int(mp.AntivirusSignatureAge)
  const state = wscEntry ? int(wscEntry.productState) : null
  const outOfDate = bool(mp.DefenderSignaturesOutOfDate)
  return {
    name: DEFENDER,
    product: DEFENDER,
    realtime_enabled: realtime,
    running,
    signatures_age_days: daysSince(updatedAt, now) ?? (reportedAge !== null && reportedAge < NEVER ? reportedAge : null),
    signatures_updated_at: updatedAt,
    source: 'defender',
    up_to_date: state !== null ? decodeProductState(state).upToDate : outOfDate === null ? null : !outOfDate,
  }
}

export function parseAntivirus(fragment: unknown[], processes: WinProcess[], now: Date): Row[] {
  const data = single(fragment)
  const names = runningNames(processes)
  const wsc = objects(data.wsc)
  const rows: Row[] = []
  const covered = new Set<string>()

  const defender = ANTIVIRUS_PRODUCTS.find((p) => p.name === DEFENDER)
  const defenderRunning = defender ? productRunning(defender, names) : false
  const wscDefender = wsc.find((e) => identifyProduct(str(e.displayName) ?? '', [str(e.pathToSignedReportingExe)])?.name === DEFENDER)
  const mp = data.mp && typeof data.mp === 'object' ? single(objects(data.mp)) : null
  const mpError = str(data.mpError)

  for (const entry of wsc) {
    const displayName = str(entry.displayName)
    if (!displayName || entry === wscDefender) continue
    const product = identifyProduct(displayName, [str(entry.pathToSignedProductExe), str(entry.pathToSignedReportingExe)])
    let running: boolean | null = null
    if (product) running = productRunning(product, names)
    else {
      const exe = baseName(str(entry.pathToSignedReportingExe)) ?? baseName(str(entry.pathToSignedProductExe))
      if (exe) running = names.has(exe.toLowerCase().replace(/\.exe$/, ''))
    }
    const state = int(entry.productState)
    const decoded = state === null ? null : decodeProductState(state)
    // WSC keeps the last state a product reported; a product with no process cannot be scanning.
    const realtime = running === false ? false : (decoded?.enabled ?? null)
    // The timestamp is when the product last reported to Security Center, which products do after
    // each signature update: the only signature time Windows keeps for third-party products.
    const updatedAt = parseWinDate(entry.timestamp)
    if (product) covered.add(product.name)
    rows.push({
      name: displayName,
      product: product?.name ?? null,
      realtime_enabled: realtime,
      running,
      signatures_age_days: daysSince(updatedAt, now),
      signatures_updated_at: updatedAt,
      source: 'securitycenter2',
      up_to_date: decoded?.upToDate ?? null,
    })
  }

  if (mp && Object.keys(mp).length > 0) {
    rows.push(defenderRow(mp, wscDefender, defenderRunning, now))
    covered.add(DEFENDER)
  } else if (wscDefender || defenderRunning || /0x800106ba/i.test(mpError ?? '')) {
    // Defender is present but its status cmdlet failed (service stopped, or tampered with).
    const state = wscDefender ? int(wscDefender.productState) : null
    const decoded = state === null ? null : decodeProductState(state)
    rows.push({
      name: DEFENDER,
      product: DEFENDER,
      realtime_enabled: defenderRunning ? (decoded?.enabled ?? null) : false,
      running: defenderRunning,
      signatures_age_days: null,
      signatures_updated_at: null,
      source: wscDefender ? 'securitycenter2' : 'defender',
      up_to_date: decoded?.upToDate ?? null,
    })
    covered.add(DEFENDER)
  }

  // EDR agents and products on Windows Server never register with Security Center.
  for (const product of ANTIVIRUS_PRODUCTS) {
    if (covered.has(product.name) || !productRunning(product, names)) continue
    rows.push({...sightedAntivirusRow(product.name, true, 'process'), product: product.name})
  }

  const wscError = str(data.wscError)
  if (rows.length === 0 && wscError) {
    throw unsupported(`SecurityCenter2 is unavailable (${wscError}; Windows Server has none), Defender is not installed, and no known antivirus process runs`, 'factError.noSecurityCenter')
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [fragment, processes] = await Promise.all([runFragment(ctx, 'antivirus', SCRIPT, 'SecurityCenter2 / Get-MpComputerStatus'), processList(ctx)])
  return parseAntivirus(fragment, processes, ctx.now())
}
