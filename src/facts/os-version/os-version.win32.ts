// Windows edition, build and licence state: Win32_OperatingSystem, the CurrentVersion key (UBR,
// 23H2) and SoftwareLicensingProduct for the Windows application id (what `slmgr /dli` reads).
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'
import {int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {licenseStatusName} from '../win32/licensing.js'
import {runFragment} from '../win32/run-fragment.js'

/** The SoftwareLicensingProduct ApplicationID of Windows itself (Office has another). */
export const WINDOWS_APPLICATION_ID = '55c92734-d682-4d71-983e-d6ec3f16059f'

export const SCRIPT = `$os = Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object 'Caption', 'Version', 'BuildNumber', 'OSArchitecture'
$current = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -ErrorAction SilentlyContinue | Select-Object 'DisplayVersion', 'UBR', 'EditionID'
$spp = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform' -ErrorAction SilentlyContinue | Select-Object KeyManagementServiceName
$licenses = @()
$licenseError = $null
try {
  $licenses = @(Get-CimInstance -ClassName SoftwareLicensingProduct -Filter "PartialProductKey IS NOT NULL AND ApplicationID='${WINDOWS_APPLICATION_ID}'" -ErrorAction Stop | Select-Object 'Name', 'Description', 'LicenseStatus', 'ProductKeyChannel', 'GracePeriodRemaining', 'KeyManagementServiceMachine', 'DiscoveredKeyManagementServiceMachineName')
} catch { $licenseError = $_.Exception.Message }
[pscustomobject]@{ os = $os; current = $current; spp = $spp; licenses = $licenses; licenseError = $licenseError }`


/** OSArchitecture is localised ("64-bit", "64 位", "ARM 64 位处理器"): only the digits and ARM are stable. */
export function normaliseArch(value: null | string): null | string {
  if (!value) return null
  const arm = /arm/i.test(value)
  if (/64/.test(value)) return arm ? 'arm64' : 'x64'
  if (/32/.test(value)) return arm ? 'arm' : 'x86'
  return value
}

/** The Windows licence among the rows: ESU and other add-ons share the application id. */
function pickLicence(rows: PsObject[]): PsObject | undefined {
  const os = rows.filter((r) => !/add-?on|ESU/i.test(`${str(r.Name) ?? ''} ${str(r.Description) ?? ''}`))
  const pool = os.length > 0 ? os : rows
  return pool.find((r) => int(r.LicenseStatus) === 1) ?? pool[0]
}

export function parseOsVersion(fragment: unknown[], now: Date): Row[] {
  const data = single(fragment)
  const os = single(objects(data.os))
  const current = single(objects(data.current))
  const spp = single(objects(data.spp))
  const licence = pickLicence(objects(data.licenses))

  const build = str(os.BuildNumber)
  const ubr = int(current.UBR)
  const status = licence ? int(licence.LicenseStatus) : null
  const graceMinutes = licence ? int(licence.GracePeriodRemaining) : null
  // Volume/KMS licences count down from 180 days; KMS38 and TSforge fake a grace end in 2038 or
  // later, so the end date itself is evidence and is reported as is.
  const graceEnds = graceMinutes && graceMinutes > 0 ? new Date(now.getTime() + graceMinutes * 60_000).toISOString() : null
  const kmsHost = (licence && (str(licence.KeyManagementServiceMachine) ?? str(licence.DiscoveredKeyManagementServiceMachineName))) ?? str(spp.KeyManagementServiceName)

  if (!str(os.Caption) && !build) return []
  return [
    {
      activation_channel: licence ? str(licence.ProductKeyChannel) : null,
      arch: normaliseArch(str(os.OSArchitecture)),
      build: build && ubr !== null ? `${build}.${ubr}` : build,
      display_version: str(current.DisplayVersion),
      family: 'windows',
      // No licence row at all (licensing WMI unreadable) is unknown, not "not genuine".
      genuine: status === null ? null : status === 1,
      grace_period_ends: graceEnds,
      kms_host: kmsHost,
      license_status: licenseStatusName(status),
      name: str(os.Caption),
      platform: 'win32',
      version: str(os.Version),
    },
  ]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const rows = parseOsVersion(await runFragment(ctx, 'os_version', SCRIPT, 'Win32_OperatingSystem / SoftwareLicensingProduct'), ctx.now())
  if (rows.length === 0) throw new FactError('failed', 'Win32_OperatingSystem returned nothing')
  return rows
}
