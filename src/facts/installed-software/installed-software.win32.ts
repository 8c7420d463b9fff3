// Installed programs: the Uninstall keys (machine 64-bit, machine 32-bit under WOW6432Node, and
// every loaded user hive) as Programs and Features shows them, plus MSIX/Appx packages.
// Win32_Product is never used: it is slow and makes MSI re-check (and repair) every package.
import type {CollectContext, Row} from '../types.js'
import {bool, int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {ELEVATED_PS, runFragment} from '../win32/run-fragment.js'
import {parseWinDay} from '../win32/win-dates.js'

const UNINSTALL = 'Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'

/** Get-AppxPackage -AllUsers needs elevation; otherwise the current user's packages are listed. */
export const SCRIPT = `${ELEVATED_PS}
$props = @('DisplayName', 'DisplayVersion', 'Publisher', 'InstallDate', 'InstallLocation', 'SystemComponent', 'ParentKeyName', 'ReleaseType')
$keys = @(
  @{ Path = 'HKLM:\\SOFTWARE\\${UNINSTALL}'; User = $null },
  @{ Path = 'HKLM:\\SOFTWARE\\WOW6432Node\\${UNINSTALL}'; User = $null }
)
foreach ($sid in @(Get-ChildItem -Path 'Registry::HKEY_USERS' -ErrorAction SilentlyContinue | ForEach-Object { $_.PSChildName })) {
  if ($sid -like '*_Classes' -or $sid -eq '.DEFAULT') { continue }
  $keys += @{ Path = "Registry::HKEY_USERS\\$sid\\Software\\${UNINSTALL}"; User = $sid }
}
$registry = @(foreach ($k in $keys) {
  $user = $k.User
  Get-ItemProperty -Path $k.Path -ErrorAction SilentlyContinue | Select-Object -Property ($props + @(@{ Name = 'User'; Expression = { $user } }, @{ Name = 'Key'; Expression = { $_.PSChildName } }))
})
$appx = @()
$appxError = $null
try {
  if ($nmgElevated) { $packages = Get-AppxPackage -AllUsers -ErrorAction Stop } else { $packages = Get-AppxPackage -ErrorAction Stop }
  $appx = @($packages | Select-Object Name, Version, Publisher, InstallLocation, IsFramework, IsResourcePackage, PackageFullName, @{ Name = 'SignatureKind'; Expression = { [string]$_.SignatureKind } })
} catch { $appxError = $_.Exception.Message }
[pscustomobject]@{ registry = $registry; appx = $appx; appxError = $appxError }`

/** One row per Programs-and-Features entry: a name is required; components and updates are not programs. */
export function registryRows(entries: PsObject[]): Row[] {
  const rows: Row[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    const name = str(e.DisplayName)
    if (!name) continue
    if (int(e.SystemComponent) === 1) continue
    // Entries with ParentKeyName (or a ReleaseType of update/hotfix) are patches of another product.
    if (str(e.ParentKeyName) || /update|hotfix|security update/i.test(str(e.ReleaseType) ?? '')) continue
    const user = str(e.User)
    const version = str(e.DisplayVersion)
    // The 64- and 32-bit views sometimes both register one product.
    const key = `${name}\u0000${version ?? ''}\u0000${user ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    rows.push({
      install_date: parseWinDay(str(e.InstallDate)),
      location: str(e.InstallLocation)?.replace(/^"(.*)"$/, '$1') ?? null,
      name,
      publisher: str(e.Publisher),
      source: 'registry',
      user,
      version,
    })
  }
  return rows
}

/** "CN=Tencent Technology(Shenzhen) Company Limited, O=Tencent…, C=CN" → the O= (else CN=) value. */
export function publisherName(distinguishedName: null | string): null | string {
  if (!distinguishedName) return null
  const parts: Record<string, string> = {}
  const re = /(?:^|,)\s*([A-Za-z.\d]+)=("(?:[^"]|"")*"|[^,]*)/g
  for (const m of distinguishedName.matchAll(re)) {
    const key = (m[1] ?? '').toUpperCase()
    let value = (m[2] ?? '').trim()
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replaceAll('""', '"')
    if (!(key in parts)) parts[key] = value
  }
  return parts.O || parts.CN || distinguishedName
}

/** MSIX/Appx packages users install; frameworks, resource packs and the OS's own apps are left out. */
export function appxRows(packages: PsObject[]): Row[] {
  const rows: Row[] = []
  const seen = new Set<string>()
  for (const p of packages) {
    const name = str(p.Name)
    if (!name || bool(p.IsFramework) === true || bool(p.IsResourcePackage) === true) continue
    if (/^system$/i.test(str(p.SignatureKind) ?? '')) continue
    const id = str(p.PackageFullName) ?? `${name}_${str(p.Version) ?? ''}`
    if (seen.has(id)) continue
    seen.add(id)
    rows.push({
      install_date: null,
      location: str(p.InstallLocation),
      name,
      publisher: publisherName(str(p.Publisher)),
      source: 'msix',
      user: null,
      version: str(p.Version),
    })
  }
  return rows
}

export function parseInstalledSoftware(fragment: unknown[]): Row[] {
  const data = single(fragment)
  return [...registryRows(objects(data.registry)), ...appxRows(objects(data.appx))]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseInstalledSoftware(await runFragment(ctx, 'installed_software', SCRIPT, 'Uninstall registry keys / Get-AppxPackage'))
}
