// Idle lock on Windows: the machine policy "Interactive logon: Machine inactivity limit"
// (InactivityTimeoutSecs) and, for every loaded user hive, the password-protected screen saver
// (Control Panel\Desktop, overridden by its group-policy twin under Software\Policies).
import type {CollectContext, Row} from '../types.js'
import {int, objects, type PsObject, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'

const SAVER_VALUES = "'ScreenSaveActive', 'ScreenSaverIsSecure', 'ScreenSaveTimeOut', 'SCRNSAVE.EXE'"

/** Real users only (local S-1-5-21-…, Entra ID S-1-12-1-…); their names come from ProfileList, not a directory lookup. */
export const SCRIPT = `$machine = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -ErrorAction SilentlyContinue | Select-Object InactivityTimeoutSecs
$users = @(foreach ($sid in @(Get-ChildItem -Path 'Registry::HKEY_USERS' -ErrorAction SilentlyContinue | ForEach-Object { $_.PSChildName })) {
  if ($sid -notmatch '^S-1-(5-21|12-1)-' -or $sid -like '*_Classes') { continue }
  $userProfile = Get-ItemProperty -Path "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\$sid" -ErrorAction SilentlyContinue
  $desktop = Get-ItemProperty -Path "Registry::HKEY_USERS\\$sid\\Control Panel\\Desktop" -ErrorAction SilentlyContinue
  $policy = Get-ItemProperty -Path "Registry::HKEY_USERS\\$sid\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop" -ErrorAction SilentlyContinue
  [pscustomobject]@{
    Sid = $sid
    ProfileImagePath = $userProfile.ProfileImagePath
    Desktop = $(if ($desktop) { $desktop | Select-Object ${SAVER_VALUES} } else { $null })
    Policy = $(if ($policy) { $policy | Select-Object ${SAVER_VALUES} } else { $null })
  }
})
[pscustomobject]@{ machine = $machine; users = $users }`

/** A policy value, where set, wins over the user's own. */
function pick(policy: PsObject, desktop: PsObject, name: string): {value: unknown; fromPolicy: boolean} {
  const fromPolicy = policy[name] !== undefined && policy[name] !== null && str(policy[name]) !== null
  return {fromPolicy, value: fromPolicy ? policy[name] : desktop[name]}
}

/** "C:\Users\张三" → "张三"; the SID when there is no profile path. */
const userName = (sid: string, profilePath: null | string): string => profilePath?.split(/[\\/]/).filter(Boolean).pop() ?? sid

/**
 * A screen saver locks only when it is active, secure, has a non-zero timeout and a program is
 * chosen (SCRNSAVE.EXE, by the user or "Force specific screen saver"): Windows runs none otherwise.
 */
export function userRow(user: PsObject): Row {
  const sid = str(user.Sid) ?? 'unknown'
  const desktop = single(objects(user.Desktop))
  const policy = single(objects(user.Policy))
  const active = pick(policy, desktop, 'ScreenSaveActive')
  const secure = pick(policy, desktop, 'ScreenSaverIsSecure')
  const timeout = pick(policy, desktop, 'ScreenSaveTimeOut')
  const program = pick(policy, desktop, 'SCRNSAVE.EXE')
  const seconds = int(timeout.value)
  const enabled = int(active.value) === 1 && int(secure.value) === 1 && seconds !== null && seconds > 0 && str(program.value) !== null
  const fromPolicy = active.fromPolicy || secure.fromPolicy || timeout.fromPolicy || program.fromPolicy
  return {
    enabled,
    sid,
    source: fromPolicy ? 'policy' : 'registry',
    timeout_seconds: seconds !== null && seconds > 0 ? seconds : null,
    user: userName(sid, str(user.ProfileImagePath)),
  }
}

export function parseScreenLock(fragment: unknown[]): Row[] {
  const data = single(fragment)
  const limit = int(single(objects(data.machine)).InactivityTimeoutSecs)
  // The machine inactivity limit locks every session after that many seconds; 0 or unset is off.
  const machine: Row = {enabled: limit !== null && limit > 0, sid: null, source: 'policy', timeout_seconds: limit !== null && limit > 0 ? limit : null, user: null}
  return [machine, ...objects(data.users).map(userRow)]
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseScreenLock(await runFragment(ctx, 'screen_lock', SCRIPT, 'screen saver / inactivity registry values'))
}
