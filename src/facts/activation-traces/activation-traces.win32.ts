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

/** Environment variables are expanded by PowerShell (patterns whose variable is unset, like
 * %ProgramFiles(x86)% on 32-bit Windows, are skipped); "*" is a wildcard (Get-Item). */
export const FILE_TRACES: readonly FileTrace[] = [
  {activator: 'KMSpico', pattern: '%ProgramFiles%\\KMSpico'},
  {activator: 'KMSpico', pattern: '%ProgramFiles(x86)%\\KMSpico'},
  {activator: 'KMSpico', pattern: '%SystemRoot%\\System32\\KMSELDI.exe'},
  {activator: 'KMSpico / KMSAuto (SECOH-QAD)', pattern: '%SystemRoot%\\SECOH-QAD.exe'},
  {activator: 'KMSpico / KMSAuto (SECOH-QAD)', pattern: '%SystemRoot%\\SECOH-QAD.dll'},
  {activator: 'AutoKMS', pattern: '%SystemRoot%\\AutoKMS'},
  {activator: 'KMSAuto', pattern: '%ProgramData%\\KMSAuto*'},
  {activator: 'KMSAuto', pattern: '%ProgramFiles%\\KMSAuto*'},
  {activator: 'KMSAuto', pattern: '%SystemDrive%\\Users\\*\\Desktop\\KMSAuto*'},
  {activator: 'KMSAuto', pattern: '%SystemDrive%\\Users\\*\\Downloads\\KMSAuto*'},
  {activator: 'AAct', pattern: '%ProgramFiles%\\AAct'},
  {activator: 'AAct', pattern: '%ProgramFiles(x86)%\\AAct'},
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\System32\\SppExtComObjHook.dll'},
  {activator: 'KMS_VL_ALL', pattern: '%SystemRoot%\\System32\\SppExtComObjPatcher.exe'},
  {activator: 'MAS Online KMS (Activation-Renewal)', pattern: '%ProgramFiles%\\Activation-Renewal\\Activation_task.cmd'},
  {activator: 'HEU KMS Activator', pattern: '%SystemDrive%\\Users\\*\\Desktop\\HEU_KMS_Activator*.exe'},
  {activator: 'HEU KMS Activator', pattern: '%SystemDrive%\\Users\\*\\Downloads\\HEU_KMS_Activator*.exe'},
  {activator: 'HEU KMS Activator', pattern: '%ProgramData%\\HEU_KMS_Activator*'},
]

/** Scheduled-task names the activators create for their 180-day renewal. */
const TASK_PATTERNS = ['*AutoKMS*', '*KMSAuto*', '*AAct*', '*Activation-Renewal*', '*Activation-Run_Once*', '*AutoPico*', '*KMSpico*', '*HEU_KMS*']
const TASK_ACTIVATORS: Array<[RegExp, string]> = [
  [/AutoKMS/i, 'AutoKMS'],
  [/KMSAuto/i, 'KMSAuto'],
  // Case-sensitive: "*AAct*" in Get-ScheduledTask is not, and would catch "DataAction".
  [/AAct/, 'AAct'],
  [/Activation-(Renewal|Run_Once)/i, 'MAS Online KMS (Activation-Renewal)'],
  [/AutoPico|KMSpico/i, 'KMSpico'],
  [/HEU_KMS/i, 'HEU KMS Activator'],
]

/** Images whose IFEO Debugger/VerifierDlls KMS_VL_ALL hijacks (Windows and Office licensing). */
const IFEO_IMAGES = ['SppExtComObj.exe', 'osppsvc.exe']
const KMS_KEYS = ['HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform', 'HKLM:\\SOFTWARE\\Microsoft\\OfficeSoftwareProtectionPlatform']

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
$kms = @(foreach ($key in @(${KMS_KEYS.map(psQuote).join(', ')})) {
  $values = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
  if ($values -and $values.KeyManagementServiceName) { [pscustomobject]@{ Key = $key; Name = $values.KeyManagementServiceName; Port = $values.KeyManagementServicePort } }
})
$tasks = @(Get-ScheduledTask -TaskName ${TASK_PATTERNS.map(psQuote).join(', ')} -ErrorAction SilentlyContinue | Select-Object TaskName, TaskPath)
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
    const activator = TASK_ACTIVATORS.find(([re]) => re.test(name))?.[1]
    // Get-ScheduledTask's wildcards ignore case and so are broader than the names: re-check.
    if (!activator) continue
    add({detail: activator, kind: 'task', location: `${str(t.TaskPath) ?? '\\'}${name}`})
  }
  return rows
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseActivationTraces(await runFragment(ctx, 'activation_traces', SCRIPT, 'activator files, IFEO, KMS and task checks'))
}
