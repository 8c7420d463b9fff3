// Windows: the known folders of the user running nm-guard. Desktop and Documents as .NET resolves
// them, and the User Shell Folders values (Downloads has no .NET name), so folders redirected to
// OneDrive or another drive are found; %USERPROFILE%\Desktop, Documents and Downloads beside them
// (redirection leaves the old ones behind). Other users' folders are not searched.
import {homedir} from 'node:os'
import {join} from 'node:path'

import type {CollectContext, Row} from '../types.js'
import {objects, type PsObject, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'
import {collectTargets, type PlaintextOptions} from './collect-scan.js'
import type {ScanTarget, Shortfall, UserFolder} from './scan-files.js'

/** The User Shell Folders value names (and known-folder GUIDs Windows 10+ also writes there) of each folder. */
const VALUES: Record<UserFolder, string[]> = {
  desktop: ['Desktop', '{754AC886-DF64-4CBA-86B5-F7FBF4FBCEF5}'],
  documents: ['Personal', '{F42EE2D3-909F-4907-8871-4C22FC0BF756}'],
  downloads: ['{374DE290-123F-4565-9164-39C4925E467B}', '{7D83EE9B-2244-4E70-B1F5-5393042AF1E4}'],
}

const psName = (name: string): string => `'${name}'`

/** Get-ItemProperty expands REG_EXPAND_SZ values (%USERPROFILE%\Desktop); the parser expands what is left. */
export const SCRIPT = `$usf = Get-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders' -ErrorAction SilentlyContinue
$shell = [ordered]@{}
foreach ($name in @(${Object.values(VALUES).flat().map(psName).join(', ')})) { $shell[$name] = $(if ($usf) { $usf.$name } else { $null }) }
[pscustomobject]@{
  UserName = $env:USERNAME
  UserProfile = $env:USERPROFILE
  OneDrive = $env:OneDrive
  Desktop = [Environment]::GetFolderPath('Desktop')
  Documents = [Environment]::GetFolderPath('MyDocuments')
  ShellFolders = [pscustomobject]$shell
}`

export interface ShellFolders {
  user: null | string
  profile: null | string
  folders: Record<UserFolder, string[]>
}

/** %USERPROFILE%-style references, from the fragment's own environment values. */
function expand(value: string, vars: Record<string, null | string>): null | string {
  let unknown = false
  const out = value.replaceAll(/%([^%]+)%/g, (whole, name: string) => {
    const v = vars[name.toUpperCase()]
    if (v === null || v === undefined) unknown = true
    return v ?? whole
  })
  return unknown ? null : out
}

export function parseShellFolders(fragment: unknown[]): ShellFolders {
  const data = single(fragment)
  const shell: PsObject = single(objects(data.ShellFolders))
  const profile = str(data.UserProfile)
  const vars = {ONEDRIVE: str(data.OneDrive), USERPROFILE: profile}
  const resolved = (values: unknown[]): string[] => {
    const paths = values.map((v) => str(v)).flatMap((v) => (v === null ? [] : [expand(v, vars)])).filter((p): p is string => p !== null)
    // Windows paths compare without case.
    const seen = new Set<string>()
    return paths.filter((p) => !seen.has(p.toLowerCase()) && seen.add(p.toLowerCase()))
  }
  return {
    folders: {
      desktop: resolved([data.Desktop, ...VALUES.desktop.map((n) => shell[n])]),
      documents: resolved([data.Documents, ...VALUES.documents.map((n) => shell[n])]),
      downloads: resolved(VALUES.downloads.map((n) => shell[n])),
    },
    profile,
    user: str(data.UserName),
  }
}

const DEFAULT_NAMES: Record<UserFolder, string> = {desktop: 'Desktop', documents: 'Documents', downloads: 'Downloads'}

export async function collect(ctx: CollectContext, options: PlaintextOptions = {}): Promise<Row[]> {
  const known: Shortfall[] = []
  let shell: ShellFolders | null = null
  try {
    shell = parseShellFolders(await runFragment(ctx, 'plaintext_secrets', SCRIPT, 'the user known folders'))
  } catch (error) {
    // The default locations are still searched; a redirected folder may be missed, so say so.
    known.push({detail: `the known folders could not be read, only the default locations were (${(error as Error).message})`, kind: 'unreadable'})
  }
  const profile = shell?.profile ?? ctx.env.USERPROFILE ?? homedir()
  const user = shell?.user ?? ctx.env.USERNAME ?? null
  const targets: ScanTarget[] = []
  for (const folder of Object.keys(DEFAULT_NAMES) as UserFolder[]) {
    const paths = [...(shell?.folders[folder] ?? []), join(profile, DEFAULT_NAMES[folder])]
    const seen = new Set<string>()
    for (const path of paths) {
      if (seen.has(path.toLowerCase())) continue
      seen.add(path.toLowerCase())
      targets.push({folder, path, user})
    }
  }
  return collectTargets(ctx, targets, options, known)
}
