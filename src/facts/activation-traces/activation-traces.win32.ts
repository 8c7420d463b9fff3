// Traces of pirate Windows/Office activators (names.md, "Piracy / activators"): their files and
// folders, an IFEO hook on the licensing service (KMS_VL_ALL), a KMS host set in the registry and
// their renewal scheduled tasks. Only traces that exist become rows; a KMS host is reported even
// when it may be legitimate (the district's own): the policy judges the host, not the collector.
import type {CollectContext, Row} from '../types.js'
import {objects, single, str} from '../win32/ps-json.js'
import {psQuote, runFragment} from '../win32/run-fragment.js'

interface FileTrace {
  pattern: string
  activator: string
}

// Every location below comes from a public source, named beside it; a location nobody documents
// (e.g. %SystemRoot%\System32\KMSELDI.exe: KMSpico keeps KMSELDI.exe in its own folder) is not checked.
const MAS = 'MAS Online KMS (Activation-Renewal)'

/** Environment variables are expanded by PowerShell (patterns whose variable is unset, like
 * %ProgramFiles(x86)% on 32-bit Windows, are skipped); "*" is a wildcard (Get-Item). */
export const FILE_TRACES: readonly FileTrace[] = [
  // massgravel/Microsoft-Activation-Scripts, HWID_Activation.cmd :dk_chkmal ("%ProgramFiles%\KMSpico").
  {activator: 'KMSpico', pattern: '%ProgramFiles%\\KMSpico'},
  // KMSpico's own install notes (Defender exclusions %WinDir%\SECOH-QAD.exe and .dll), seen in public repositories.
  {activator: 'KMSpico (SECOH-QAD)', pattern: '%SystemRoot%\\SECOH-QAD.exe'},
  {activator: 'KMSpico (SECOH-QAD)', pattern: '%SystemRoot%\\SECOH-QAD.dll'},
  // Microsoft Toolkit 2.7.2 README (MDL thread 82782): default path C:\Windows\AutoKMS\AutoKMS.exe.
  {activator: 'AutoKMS (Microsoft Toolkit)', pattern: '%SystemRoot%\\AutoKMS'},
  // KMSAuto's service folder C:\Windows\KMSAutoS and %ProgramData%\KMSAutoS, from the Defender-exclusion scripts published with it.
  {activator: 'KMSAuto', pattern: '%SystemRoot%\\KMSAutoS'},
  {activator: 'KMSAuto', pattern: '%ProgramData%\\KMSAuto*'},
  // AAct's tools folder C:\Windows\AAct_Tools, as public activator-trace scanners list it.
  {activator: 'AAct', pattern: '%SystemRoot%\\AAct_Tools'},
  // abbodi1406/KMS_VL_ALL_AIO, KMS_VL_ALL_AIO.cmd: it copies SppExtComObjHook.dll to System32 and
  // removes SppExtComObjHookAvrf.dll, SppExtComObjPatcher.dll/.exe from System32 and SysWOW64.
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\System32\\SppExtComObjHook*.dll'},
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\System32\\SppExtComObjPatcher.*'},
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\SysWOW64\\SppExtComObjHook*.dll'},
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\SysWOW64\\SppExtComObjPatcher.*'},
  // KMS_VL_ALL_AIO.cmd: the Windows 7 migration fail-safe %SystemRoot%\Migration\WTR\KMS_VL_ALL.inf.
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\Migration\\WTR\\KMS_VL_ALL.inf'},
  // Microsoft-Activation-Scripts, Online_KMS_Activation.cmd: _dest=%ProgramFiles%\Activation-Renewal
  // (Activation_task.cmd, Info.txt, Logs.txt); older releases used the %ProgramData% paths it still cleans up.
  {activator: MAS, pattern: '%ProgramFiles%\\Activation-Renewal'},
  {activator: MAS, pattern: '%ProgramData%\\Activation-Renewal'},
  {activator: MAS, pattern: '%ProgramData%\\Online_KMS_Activation.cmd'},
  {activator: MAS, pattern: '%ProgramData%\\Online_KMS_Activation'},
  // zbezj/HEU_KMS_Activator: its releases are HEU_KMS_Activator_v*.exe, run from where a browser saves them.
  {activator: 'HEU KMS Activator', pattern: '%SystemDrive%\\Users\\*\\Desktop\\HEU_KMS_Activator*.exe'},
  {activator: 'HEU KMS Activator', pattern: '%SystemDrive%\\Users\\*\\Downloads\\HEU_KMS_Activator*.exe'},
]

/** Scheduled tasks the activators create for their renewal, by name (any folder) and, where the
 * source gives one, the folder it must be in. */
export const TASK_TRACES: ReadonlyArray<{activator: string; name: RegExp; path?: string; pattern: string}> = [
  // Microsoft-Activation-Scripts :dk_chkmal looks for "AutoPico" among the task paths (KMSpico's renewal).
  {activator: 'KMSpico', name: /AutoPico/i, pattern: '*AutoPico*'},
  // Online_KMS_Activation.cmd: schtasks /create /tn "Activation-Renewal" and "Activation-Run_Once".
  {activator: MAS, name: /^Activation-Renewal$/i, pattern: 'Activation-Renewal'},
  {activator: MAS, name: /^Activation-Run_Once$/i, pattern: 'Activation-Run_Once'},
  // The same script deletes the task names of older releases: Online_KMS_Activation_Script-Renewal/-Run_Once.
  {activator: MAS, name: /^Online_KMS_Activation_Script-(Renewal|Run_Once)$/i, pattern: 'Online_KMS_Activation_Script-*'},
  // KMS_VL_ALL_AIO.cmd: _TaskEx=\Microsoft\Windows\SoftwareProtectionPlatform\SvcTrigger (Windows has no task by that name).
  {activator: 'KMS_VL_ALL', name: /^SvcTrigger$/i, path: '\\Microsoft\\Windows\\SoftwareProtectionPlatform\\', pattern: 'SvcTrigger'},
]

/** KMS_VL_ALL_AIO.cmd :CreateIFEOEntry sets VerifierDlls=SppExtComObjHook.dll on these images. */
const IFEO_IMAGES = ['SppExtComObj.exe', 'sppsvc.exe', 'osppsvc.exe']

const SPP = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform'
const SPP_32 = 'SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform'
export const OFFICE_APPLICATION_ID = '0ff1ce15-a989-479d-af46-f275c6370663'
const WINDOWS_APPLICATION_ID = '55c92734-d682-4d71-983e-d6ec3f16059f'
/** Where a KMS host is set: MAS (Online_KMS_Activation.cmd :_taskregserv) and KMS_VL_ALL write
 * KeyManagementServiceName to the SPP key, its Office subkey (both with /reg:32 too) and the
 * OfficeSoftwareProtectionPlatform key; Microsoft's ospp.vbs names the same two roots (REG_SPP, REG_OSPP). */
export const KMS_KEYS = [
  `HKLM:\\${SPP}`,
  `HKLM:\\${SPP_32}`,
  `HKLM:\\${SPP}\\${OFFICE_APPLICATION_ID}`,
  `HKLM:\\${SPP_32}\\${OFFICE_APPLICATION_ID}`,
  'HKLM:\\SOFTWARE\\Microsoft\\OfficeSoftwareProtectionPlatform',
]
/** Per-product subkeys (KMS_VL_ALL writes 127.0.0.2 under SPP\<Windows app id>\<activation id>). */
const KMS_PARENT_KEYS = [`HKLM:\\${SPP}\\${WINDOWS_APPLICATION_ID}`, `HKLM:\\${SPP}\\${OFFICE_APPLICATION_ID}`]

export const SCRIPT = `$files = @(foreach ($pattern in @(${FILE_TRACES.map((t) => psQuote(t.pattern)).join(', ')})) {
  $expanded = [Environment]::ExpandEnvironmentVariables($pattern)
  if ($expanded.Contains('%')) { continue }
  Get-Item -Path $expanded -Force -ErrorAction SilentlyContinue | ForEach-Object { [pscustomobject]@{ Pattern = $pattern; Path = $_.FullName } }
})
$ifeo = @(foreach ($image in @(${IFEO_IMAGES.map(psQuote).join(', ')})) {
  $key = "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\$image"
  $values = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
  if ($values -and ($values.Debugger -or $values.VerifierDlls)) { [pscustomobject]@{ Key = $key; Debugger = $values.Debugger; VerifierDlls = $values.VerifierDlls } }
})
$kmsKeys = @(${KMS_KEYS.map(psQuote).join(', ')})
foreach ($parent in @(${KMS_PARENT_KEYS.map(psQuote).join(', ')})) {
  $kmsKeys += @(Get-ChildItem -Path $parent -ErrorAction SilentlyContinue | ForEach-Object { 'HKLM:\\' + $_.Name.Substring($_.Name.IndexOf('\\') + 1) })
}
$kms = @(foreach ($key in $kmsKeys) {
  $values = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
  if ($values -and $values.KeyManagementServiceName) { [pscustomobject]@{ Key = $key; Name = $values.KeyManagementServiceName; Port = $values.KeyManagementServicePort } }
})
$tasks = @(Get-ScheduledTask -TaskName ${TASK_TRACES.map((t) => psQuote(t.pattern)).join(', ')} -ErrorAction SilentlyContinue | Select-Object 'TaskName', 'TaskPath')
[pscustomobject]@{ files = $files; ifeo = $ifeo; kms = $kms; tasks = $tasks }`

/** "HKLM:\SOFTWARE\…" (a PowerShell drive path) → "HKLM\SOFTWARE\…" as regedit writes it. */
const regPath = (key: string): string => key.replace(/^(HK[A-Z_]+):\\/i, '$1\\')

export function parseActivationTraces(fragment: unknown[]): Row[] {
  const data = single(fragment)
  const rows: Row[] = []
  const seen = new Set<string>()
  const add = (row: Row): void => {
    const id = `${row.kind} ${String(row.location).toLowerCase()}`
    if (seen.has(id)) return
    seen.add(id)
    rows.push(row)
  }

  for (const f of objects(data.files)) {
    const path = str(f.Path)
    if (!path) continue
    const pattern = str(f.Pattern)
    const activator = FILE_TRACES.find((t) => t.pattern === pattern)?.activator ?? null
    add({detail: activator, kind: 'file', location: path})
  }
  for (const i of objects(data.ifeo)) {
    const key = str(i.Key)
    if (!key) continue
    const debuggerValue = str(i.Debugger)
    const verifier = str(i.VerifierDlls)
    if (debuggerValue) add({detail: debuggerValue, kind: 'ifeo', location: `${regPath(key)}\\Debugger`})
    if (verifier) add({detail: verifier, kind: 'ifeo', location: `${regPath(key)}\\VerifierDlls`})
  }
  for (const k of objects(data.kms)) {
    const key = str(k.Key)
    const host = str(k.Name)
    if (!key || !host) continue
    add({detail: host, kind: 'kms_host', location: `${regPath(key)}\\KeyManagementServiceName`})
  }
  for (const t of objects(data.tasks)) {
    const name = str(t.TaskName)
    if (!name) continue
    const path = str(t.TaskPath) ?? '\\'
    // Get-ScheduledTask's wildcards ignore case and folders, so they are broader than the traces: re-check.
    const trace = TASK_TRACES.find((x) => x.name.test(name) && (!x.path || x.path.toLowerCase() === path.toLowerCase()))
    if (!trace) continue
    add({detail: trace.activator, kind: 'task', location: `${path}${name}`})
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseActivationTraces(await runFragment(ctx, 'activation_traces', SCRIPT, 'activator files, IFEO, KMS and task checks'))
}
