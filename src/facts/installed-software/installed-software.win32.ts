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
  $appx = @($packages | Select-Object 'Name', 'Version', 'Publisher', 'InstallLocation', 'IsFramework', 'IsResourcePackage', 'NonRemovable', 'PackageFullName', @{ Name = 'SignatureKind'; Expression = { [string]$_.SignatureKind } })
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

/** The certificate subjects Windows' own packages are signed with (publisher ids 8wekyb3d8bbwe, cw5n1h2txyewy). */
const MICROSOFT_PUBLISHERS = new Set(['CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US', 'CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'])

/** Microsoft-owned inbox apps published under another identity, by package family (name + publisher id).
 * Clipchamp (Microsoft since 2021) is provisioned in the Windows 11 22H2+ image as Clipchamp.Clipchamp_yxz26nhyzhsrt
 * (publisher CN=33F0F141-36F3-4EC2-A77D-51B53D0BA0E4, which AppLocker rule sets allow as "Microsoft-signed Clipchamp"). */
const MICROSOFT_INBOX_FAMILIES = new Set(['clipchamp.clipchamp_yxz26nhyzhsrt'])

/** "Name_Version_Arch_ResourceId_PublisherId" → "name_publisherid". */
function packageFamily(name: string, fullName: null | string): string {
  const publisherId = fullName?.split('_').pop() ?? ''
  return `${name}_${publisherId}`.toLowerCase()
}

/**
 * Part of Windows rather than the user's choice: signed as a system package, marked non-removable,
 * or published by Microsoft (or a listed Microsoft-owned family) and signed through the Store or the
 * OS. A sideloaded package that merely claims Microsoft's name is signed "Developer" or
 * "Enterprise", so it stays `msix`.
 */
export function isWindowsOwnPackage(p: PsObject): boolean {
  const kind = (str(p.SignatureKind) ?? '').toLowerCase()
  if (kind === 'system' || bool(p.NonRemovable) === true) return true
  if (kind !== 'store') return false
  const name = str(p.Name) ?? ''
  return MICROSOFT_PUBLISHERS.has(str(p.Publisher) ?? '') || MICROSOFT_INBOX_FAMILIES.has(packageFamily(name, str(p.PackageFullName)))
}

/**
 * MSIX/Appx apps. Frameworks and resource packs are not programs and are left out (as the
 * registry's SystemComponent entries are); Windows' own apps stay visible as `msix-system`, which
 * no "unrelated software" check counts; every other package is `msix`.
 */
export function appxRows(packages: PsObject[]): Row[] {
  const rows: Row[] = []
  const seen = new Set<string>()
  for (const p of packages) {
    const name = str(p.Name)
    if (!name || bool(p.IsFramework) === true || bool(p.IsResourcePackage) === true) continue
    const id = str(p.PackageFullName) ?? `${name}_${str(p.Version) ?? ''}`
    if (seen.has(id)) continue
    seen.add(id)
    rows.push({
      install_date: null,
      location: str(p.InstallLocation),
      name,
      publisher: publisherName(str(p.Publisher)),
      source: isWindowsOwnPackage(p) ? 'msix-system' : 'msix',
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
