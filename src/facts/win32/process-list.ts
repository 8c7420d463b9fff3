// The Windows process list, gathered once per gathering and shared by the processes, antivirus,
// vpn and listening_ports tables. Get-Process names lack ".exe"; names.md and known-products.ts
// use image names (ToDesk.exe), so ".exe" is added except for the kernel's pseudo-processes.
import type {CollectContext} from '../types.js'
import {int, objects, str} from './ps-json.js'
import {ELEVATED_PS, sharedFragment} from './run-fragment.js'

export interface WinProcess {
  name: string
  pid: number
  path: null | string
  user: null | string
}

/** -IncludeUserName needs elevation (it fails otherwise), so owners are read only when elevated. */
export const PROCESSES_PS = `${ELEVATED_PS}
if ($nmgElevated) {
  Get-Process -IncludeUserName | Select-Object 'Name', 'Id', 'Path', 'UserName'
} else {
  Get-Process | Select-Object 'Name', 'Id', 'Path', @{ Name = 'UserName'; Expression = { $null } }
}`

/** Processes that have no image file: they keep their bare name. */
const PSEUDO_PROCESSES = new Set(['idle', 'system', 'registry', 'secure system', 'memory compression', 'vmmem', 'vmmemwsl'])

/** "ToDesk" → "ToDesk.exe"; "System" stays "System"; a name already ending in .exe is kept. */
export function imageName(name: string, path: null | string = null): string {
  if (/\.exe$/i.test(name)) return name
  if (!path && PSEUDO_PROCESSES.has(name.toLowerCase())) return name
  return `${name}.exe`
}

export function parseProcessList(rows: unknown[]): WinProcess[] {
  const out: WinProcess[] = []
  for (const p of objects(rows)) {
    const name = str(p.Name)
    const pid = int(p.Id)
    if (name === null || pid === null) continue
    const path = str(p.Path)
    out.push({name: imageName(name, path), path, pid, user: str(p.UserName)})
  }
  return out
}

export async function processList(ctx: CollectContext): Promise<WinProcess[]> {
  return parseProcessList(await sharedFragment(ctx, 'processes', PROCESSES_PS))
}
