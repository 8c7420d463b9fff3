// Windows: the known folders of the user running nm-guard. Desktop and Documents as .NET resolves
// them, and the User Shell Folders values (Downloads has no .NET name), so folders redirected to
// OneDrive or another drive are found; %USERPROFILE%\Desktop, Documents and Downloads beside them
// (redirection leaves the old ones behind). Elevated (the scheduled audit as SYSTEM), every local
// profile's folders too, read from that user's own registry hive (user-profiles.win32.ts).
import {homedir} from 'node:os'
import {join} from 'node:path'

import {otherProfileStores} from '../../accounts/profile-stores.js'
import type {CollectContext, Row} from '../types.js'
import {SHELL_VALUES as VALUES, windowsProfiles} from '../user-profiles/user-profiles.win32.js'
import {objects, type PsObject, single, str} from '../win32/ps-json.js'
import {expandEnv} from '../win32/expand-env.js'
import {runFragment} from '../win32/run-fragment.js'
import {collectTargets, otherUsersShortfalls, type PlaintextOptions} from './collect-scan.js'
import type {ScanTarget, Shortfall, UserFolder} from './scan-files.js'

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


export function parseShellFolders(fragment: unknown[]): ShellFolders {
  const data = single(fragment)
  const shell: PsObject = single(objects(data.ShellFolders))
  const profile = str(data.UserProfile)
  const vars = {ONEDRIVE: str(data.OneDrive), USERPROFILE: profile}
  const resolved = (values: unknown[]): string[] => {
    const paths = values.map((v) => str(v)).flatMap((v) => (v === null ? [] : [expandEnv(v, vars)])).filter((p): p is string => p !== null)
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
  // Every fragment is asked for before the first await, so all go into the gathering's one batch.
  const own = runFragment(ctx, 'plaintext_secrets', SCRIPT, 'the user known folders')
  const profiles = windowsProfiles(ctx)
  const stores = otherProfileStores(ctx)
  profiles.catch(() => undefined)
  const known: Shortfall[] = []
  let shell: ShellFolders | null = null
  try {
    shell = parseShellFolders(await own)
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
  if (await ctx.isAdmin()) {
    try {
      for (const p of await profiles) {
        if (p.shortfall) known.push({detail: p.shortfall, kind: 'unreadable'})
        for (const folder of Object.keys(DEFAULT_NAMES) as UserFolder[]) for (const path of p.folders[folder]) targets.push({folder, path, user: p.user})
      }
    } catch (error) {
      known.push({detail: `the other local profiles could not be listed, only ${user ?? 'this user'}'s folders were searched (${(error as Error).message})`, kind: 'unreadable'})
    }
    known.push(...otherUsersShortfalls(await stores))
  }
  return collectTargets(ctx, targets, options, known)
}
