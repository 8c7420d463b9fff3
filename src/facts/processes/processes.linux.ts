// Running processes from /proc: name, pid, executable path and owner (never the command line).
import {listProcesses, type ProcessEntry} from '../linux/proc-processes.js'
import type {CollectContext, Row} from '../types.js'

export function processRows(processes: ProcessEntry[]): Row[] {
  return processes.map((p) => ({name: p.name, path: p.path, pid: p.pid, user: p.user}))
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  return processRows(await listProcesses(ctx, root))
}
