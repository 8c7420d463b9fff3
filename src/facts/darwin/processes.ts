// `ps -axo pid=,user=,comm=`: on macOS `comm` is the executable's full path for processes this
// user may inspect, and only the (16-character) command name for the others.
import {execOk} from '../../os/spawn.js'
import type {Exec} from '../types.js'
import {TOOLS} from '../../os/tools.darwin.js'

export interface DarwinProcess {
  pid: number
  user: null | string
  name: string
  path: null | string
}

export function parsePs(text: string): DarwinProcess[] {
  const out: DarwinProcess[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line)
    if (!m) continue
    const comm = (m[3] as string).replace(/^\((.*)\)$/, '$1')
    const path = comm.startsWith('/') ? comm : null
    const name = path ? (path.split('/').pop() ?? path) : comm
    out.push({name, path, pid: Number(m[1]), user: m[2] ?? null})
  }
  return out
}

export async function listProcesses(exec: Exec): Promise<DarwinProcess[]> {
  const result = await execOk(exec, TOOLS.ps, ['-axo', 'pid=,user=,comm='], {timeoutMs: 10_000})
  return parsePs(result.stdout)
}
