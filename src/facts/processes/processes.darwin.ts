// macOS: `ps -axo pid=,user=,comm=` (see darwin/processes.ts). Command lines are never read.
import {type DarwinProcess, listProcesses, parsePs} from '../darwin/processes.js'
import type {CollectContext, Row} from '../types.js'

const toRow = (p: DarwinProcess): Row => ({name: p.name, path: p.path, pid: p.pid, user: p.user})

export const processRows = (psText: string): Row[] => parsePs(psText).map(toRow)

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return (await listProcesses(ctx.exec)).map(toRow)
}
