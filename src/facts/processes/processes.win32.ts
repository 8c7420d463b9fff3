// Running processes from Get-Process: image name (with ".exe", as names.md writes them), pid,
// executable path (null where Windows hides it) and owner (only when elevated). No command lines.
import type {CollectContext, Row} from '../types.js'
import {parseProcessList, processList, type WinProcess} from '../win32/process-list.js'

export function processRows(processes: WinProcess[]): Row[] {
  return processes.map((p) => ({name: p.name, path: p.path, pid: p.pid, user: p.user}))
}

/** The fragment's raw output → rows (what the collector does, for tests and fixtures). */
export function parseProcesses(fragment: unknown[]): Row[] {
  return processRows(parseProcessList(fragment))
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return processRows(await processList(ctx))
}
