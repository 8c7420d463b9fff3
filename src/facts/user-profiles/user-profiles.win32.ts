// The PC's real users, for an audit run as SYSTEM or elevated (the daily scheduled task): every
// local profile (HKLM ProfileList), with its known folders read from that user's own registry.
// A logged-on user's hive is loaded under HKEY_USERS\<SID> and read there by the fragment; a
// logged-off user's is read from <profile>\NTUSER.DAT as a file (regf.ts says why not `reg load`).
// Values are read unexpanded: PowerShell would expand %USERPROFILE% against SYSTEM's own profile
// (C:\Windows\system32\config\systemprofile), so they are expanded here against the profile's path.
import {join, win32} from 'node:path'

import {readUserFile} from '../../os/read-user-file.js'
import {perContext} from '../per-context.js'
import type {UserFolder} from '../plaintext-secrets/scan-files.js'
import type {CollectContext} from '../types.js'
import {expandEnv} from '../win32/expand-env.js'
import {bool, objects, type PsObject, str} from '../win32/ps-json.js'
import {ELEVATED_PS, sharedFragment} from '../win32/run-fragment.js'
import {HiveError, readHiveKey} from './regf.js'

/** The User Shell Folders value names (and the known-folder GUIDs Windows 10+ also writes there) of each folder. */
export const SHELL_VALUES: Record<UserFolder, string[]> = {
  desktop: ['Desktop', '{754AC886-DF64-4CBA-86B5-F7FBF4FBCEF5}'],
  documents: ['Personal', '{F42EE2D3-909F-4907-8871-4C22FC0BF756}'],
  downloads: ['{374DE290-123F-4565-9164-39C4925E467B}', '{7D83EE9B-2244-4E70-B1F5-5393042AF1E4}'],
}
/** Roaming AppData (%APPDATA%), where nm-guard's per-user config folder is. */
const APPDATA_VALUES = ['AppData', '{3EB685DB-65F9-4CF6-A03A-E3EF65729F3D}']
const ALL_VALUES = [...Object.values(SHELL_VALUES).flat(), ...APPDATA_VALUES]
const DEFAULT_NAMES: Record<UserFolder, string> = {desktop: 'Desktop', documents: 'Documents', downloads: 'Downloads'}

export const USER_SHELL_FOLDERS = 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders'
/** LocalSystem, LocalService, NetworkService: nobody posts from these. */
const SYSTEM_SIDS = new Set(['S-1-5-18', 'S-1-5-19', 'S-1-5-20'])
/** NTUSER.DAT is a few MiB; a hive larger than this is not read (its user gets the default folders). */
export const MAX_HIVE_BYTES = 64 * 1024 * 1024

const psList = (names: string[]): string => names.map((n) => `'${n}'`).join(', ')

/** Only when elevated: a standard user may not open other users' hives, and has only their own profile to judge. */
export const SCRIPT = `${ELEVATED_PS}
if ($nmgElevated) {
  $nmgExpand = [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames
  $nmgLoaded = @([Microsoft.Win32.Registry]::Users.GetSubKeyNames())
  foreach ($key in @(Get-ChildItem -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList' -ErrorAction SilentlyContinue)) {
    $sid = $key.PSChildName -replace '\\.bak$', ''
    $path = $key.GetValue('ProfileImagePath')
    $account = $null
    try { $account = (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $sid).Translate([System.Security.Principal.NTAccount]).Value } catch { $account = $null }
    $loaded = $nmgLoaded -contains $sid
    $shell = [ordered]@{}
    $oneDrive = $null
    if ($loaded) {
      $usf = [Microsoft.Win32.Registry]::Users.OpenSubKey($sid + '\\${USER_SHELL_FOLDERS}')
      if ($usf) {
        foreach ($name in @(${psList(ALL_VALUES)})) { $shell[$name] = $usf.GetValue($name, $null, $nmgExpand) }
        $usf.Close()
      }
      $envKey = [Microsoft.Win32.Registry]::Users.OpenSubKey($sid + '\\Environment')
      if ($envKey) {
        $oneDrive = $envKey.GetValue('OneDrive', $null, $nmgExpand)
        $envKey.Close()
      }
    }
    [pscustomobject]@{
      Sid = $sid
      ProfilePath = $path
      Account = $account
      Exists = $(if ($path) { Test-Path -LiteralPath $path -PathType Container } else { $false })
      Loaded = $loaded
      OneDrive = $oneDrive
      ShellFolders = [pscustomobject]$shell
    }
  }
}`

/** One profile as the fragment saw it. */
export interface RawProfile {
  sid: string
  path: string
  user: string
  exists: boolean
  loaded: boolean
  oneDrive: null | string
  /** Unexpanded User Shell Folders values, by name (loaded hives only). */
  values: Record<string, null | string>
}

export interface WinProfile {
  sid: string
  user: string
  home: string
  /** Where the folders came from: the loaded hive, the NTUSER.DAT file, or only the defaults. */
  source: 'defaults' | 'loaded-hive' | 'offline-hive'
  /** Redirected (OneDrive, Group Policy) folders first, the profile's default folder last. */
  folders: Record<UserFolder, string[]>
  /** Roaming AppData: nm-guard's config folder is <appData>\nm-guard\Config. */
  appData: string
  /** Why only the defaults are known (the hive could not be read); null otherwise. */
  shortfall: null | string
}

/** Windows paths are joined as such; the tests' profiles are real POSIX folders, joined natively. */
const joinUnder = (base: string, ...parts: string[]): string => (/^([A-Za-z]:|\\\\)/.test(base) ? win32.join(base, ...parts) : join(base, ...parts))

const userOf = (account: null | string, path: string): string => (account ? (account.split('\\').pop() ?? account) : win32.basename(path))

export function parseProfiles(fragment: unknown[]): RawProfile[] {
  const out: RawProfile[] = []
  for (const o of objects(fragment)) {
    const sid = str(o.Sid)
    const path = str(o.ProfilePath)
    if (!sid || !path) continue
    const shell: PsObject = objects(o.ShellFolders)[0] ?? {}
    out.push({
      exists: bool(o.Exists) === true,
      loaded: bool(o.Loaded) === true,
      oneDrive: str(o.OneDrive),
      path,
      sid,
      user: userOf(str(o.Account), path),
      values: Object.fromEntries(ALL_VALUES.map((name) => [name, str(shell[name])])),
    })
  }
  return out
}


/** The profile's folders from its User Shell Folders values (expanded against its path), then the defaults. */
export function resolveProfile(raw: RawProfile, values: Record<string, null | string>, oneDrive: null | string, source: WinProfile['source'], shortfall: null | string = null): WinProfile {
  const drive = /^[A-Za-z]:/.exec(raw.path)?.[0] ?? null
  const vars = {HOMEDRIVE: drive, ONEDRIVE: oneDrive ? expandEnv(oneDrive, {USERPROFILE: raw.path}) : null, SYSTEMDRIVE: drive, USERNAME: raw.user, USERPROFILE: raw.path}
  const expanded = (names: string[]): string[] => names.map((n) => values[n]).flatMap((v) => (v ? [expandEnv(v, vars)] : [])).filter((p): p is string => p !== null)
  const unique = (paths: string[]): string[] => {
    // Windows paths compare without case.
    const seen = new Set<string>()
    return paths.filter((p) => !seen.has(p.toLowerCase()) && seen.add(p.toLowerCase()))
  }
  const folders = Object.fromEntries(
    (Object.keys(SHELL_VALUES) as UserFolder[]).map((f) => [f, unique([...expanded(SHELL_VALUES[f]), joinUnder(raw.path, DEFAULT_NAMES[f])])]),
  ) as Record<UserFolder, string[]>
  return {appData: expanded(APPDATA_VALUES)[0] ?? joinUnder(raw.path, 'AppData', 'Roaming'), folders, home: raw.path, shortfall, sid: raw.sid, source, user: raw.user}
}

/** A logged-off user's values, from their NTUSER.DAT read as a file. */
async function offlineProfile(raw: RawProfile): Promise<WinProfile> {
  const read = await readUserFile(raw.path, ['NTUSER.DAT'], {maxBytes: MAX_HIVE_BYTES})
  const fallback = (why: string): WinProfile => resolveProfile(raw, {}, null, 'defaults', `${raw.user}'s known folders are unknown (${why}): only the default folders of ${raw.path} were searched`)
  if ('missing' in read) return fallback('no NTUSER.DAT')
  if ('error' in read) return fallback(read.error)
  try {
    const usf = readHiveKey(read.bytes, USER_SHELL_FOLDERS)
    const env = readHiveKey(read.bytes, 'Environment')
    const values = Object.fromEntries(ALL_VALUES.map((name) => [name, usf?.get(name)?.text ?? null]))
    return resolveProfile(raw, values, env?.get('OneDrive')?.text ?? null, 'offline-hive')
  } catch (error) {
    if (error instanceof HiveError) return fallback(`NTUSER.DAT: ${error.message}`)
    throw error
  }
}

/** The real users' profiles (not the system ones, not those whose folder is gone), read once per gathering. */
export function windowsProfiles(ctx: CollectContext): Promise<WinProfile[]> {
  // Asked for at once (no await before it), so the fragment joins the gathering's one PowerShell batch.
  const fragment = sharedFragment(ctx, 'user_profiles', SCRIPT)
  return perContext(ctx, 'win32-user-profiles', async () => {
    const raws = parseProfiles(await fragment).filter((p) => p.exists && !SYSTEM_SIDS.has(p.sid))
    return Promise.all(raws.map((raw) => (raw.loaded ? resolveProfile(raw, raw.values, raw.oneDrive, 'loaded-hive') : offlineProfile(raw))))
  })
}
