// Office licences as Microsoft's ospp.vbs /dstatus reads them: SoftwareLicensingProduct rows with
// Office's ApplicationID (Office 2013 and later on Windows 8+), and OfficeSoftwareProtectionProduct
// where Office's own licensing service is installed (Office 2010, Office on Windows 7). The KMS host
// of a volume licence also comes from the Office subkey of the SPP key, in both registry views,
// because that is where ospp.vbs /sethst and the KMS activators (MAS, KMS_VL_ALL) write it.
import {FactError} from '../../os/fact-error.js'
import {OFFICE_APPLICATION_ID} from '../activation-traces/activation-traces.win32.js'
import type {CollectContext, Row} from '../types.js'
import {int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {licenseStatusName} from '../win32/licensing.js'
import {runFragment} from '../win32/run-fragment.js'

/** Office 2010's ApplicationID under OfficeSoftwareProtectionProduct (ospp.vbs; MAS's _oA14). */
export const OFFICE_2010_APPLICATION_ID = '59a52881-a989-479d-af46-f275c6370663'

const SPP = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform'
/** Registry keys holding Office's KMS host, each with the kms_host_source it stands for. */
export const OFFICE_KMS_KEYS: ReadonlyArray<[string, string]> = [
  [`HKLM:\\${SPP}\\${OFFICE_APPLICATION_ID}`, 'registry'],
  [`HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\${OFFICE_APPLICATION_ID}`, 'registry-32'],
  ['HKLM:\\SOFTWARE\\Microsoft\\OfficeSoftwareProtectionPlatform', 'ospp-registry'],
]

export const SCRIPT = `$props = @('Name', 'Description', 'ApplicationID', 'LicenseStatus', 'GracePeriodRemaining', 'KeyManagementServiceMachine', 'DiscoveredKeyManagementServiceMachineName')
$spp = @()
$sppError = $null
try {
  $spp = @(Get-CimInstance -ClassName SoftwareLicensingProduct -Filter "PartialProductKey IS NOT NULL AND ApplicationID='${OFFICE_APPLICATION_ID}'" -ErrorAction Stop | Select-Object -Property $props)
} catch { $sppError = $_.Exception.Message }
# The class exists only where osppsvc is installed; elsewhere its absence is the answer, not an error.
$ospp = @()
try { $ospp = @(Get-CimInstance -ClassName OfficeSoftwareProtectionProduct -Filter 'PartialProductKey IS NOT NULL' -ErrorAction Stop | Select-Object -Property $props) } catch { }
$registry = @(foreach ($key in @(${OFFICE_KMS_KEYS.map(([key]) => `'${key}'`).join(', ')})) {
  $values = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
  if ($values -and $values.KeyManagementServiceName) { [pscustomobject]@{ Key = $key; Name = $values.KeyManagementServiceName } }
})
[pscustomobject]@{ spp = $spp; ospp = $ospp; registry = $registry; sppError = $sppError }`


const OFFICE_IDS = new Set([OFFICE_APPLICATION_ID, OFFICE_2010_APPLICATION_ID])

/** "Office 19, VOLUME_KMSCLIENT channel" → {release: '19', channel: 'VOLUME_KMSCLIENT'}. */
export function parseDescription(description: null | string): {channel: null | string; release: null | string} {
  const release = description?.match(/\bOffice\s+(\d+)\b/i)?.[1] ?? null
  const channel = description?.match(/([A-Z][A-Z0-9_:]*)\s+channel\b/i)?.[1]?.toUpperCase() ?? null
  return {channel, release}
}

function kmsHost(licence: PsObject, channel: null | string, registry: PsObject[], source: string): [null | string, null | string] {
  const own = str(licence.KeyManagementServiceMachine)
  if (own) return [own, 'licence']
  // A retail or subscription licence never asks a KMS host, whatever the registry says.
  if (!channel?.includes('KMS')) return [null, null]
  const keys = source === 'ospp' ? OFFICE_KMS_KEYS.filter(([, s]) => s === 'ospp-registry') : OFFICE_KMS_KEYS
  for (const [key, from] of keys) {
    const hit = registry.find((r) => str(r.Key)?.toLowerCase() === key.toLowerCase())
    const name = hit ? str(hit.Name) : null
    if (name) return [name, from]
  }
  const discovered = str(licence.DiscoveredKeyManagementServiceMachineName)
  return discovered ? [discovered, 'discovered'] : [null, null]
}

export function parseOfficeActivation(fragment: unknown[], now: Date): Row[] {
  const data = single(fragment)
  const spp = objects(data.spp)
  const ospp = objects(data.ospp)
  const sppError = str(data.sppError)
  // Without the licensing WMI "no rows" would read as "no Office": unavailable instead.
  if (sppError && spp.length === 0 && ospp.length === 0) throw new FactError('failed', `SoftwareLicensingProduct: ${sppError}`)
  const registry = objects(data.registry)
  const rows: Row[] = []
  for (const [source, licences] of [['spp', spp], ['ospp', ospp]] as const) {
    for (const licence of licences) {
      const appId = str(licence.ApplicationID)?.toLowerCase()
      if (appId && !OFFICE_IDS.has(appId)) continue
      const description = str(licence.Description)
      const {channel, release} = parseDescription(description)
      const status = int(licence.LicenseStatus)
      const graceMinutes = int(licence.GracePeriodRemaining)
      const [host, hostSource] = kmsHost(licence, channel, registry, source)
      rows.push({
        channel,
        genuine: status === null ? null : status === 1,
        grace_period_ends: graceMinutes && graceMinutes > 0 ? new Date(now.getTime() + graceMinutes * 60_000).toISOString() : null,
        kms_host: host,
        kms_host_source: hostSource,
        license_status: licenseStatusName(status),
        product: str(licence.Name),
        release,
        source,
      })
    }
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseOfficeActivation(await runFragment(ctx, 'office_activation', SCRIPT, 'SoftwareLicensingProduct (Office)'), ctx.now())
}
