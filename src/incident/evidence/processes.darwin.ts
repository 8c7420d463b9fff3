// macOS processes: `ps` lists each process's executable path (comm), then `shasum -a 256` hashes
// every distinct path once, in batches. The parsers are pure so recorded output can test them.
import {TOOLS} from '../../os/tools.darwin.js'
import {type EvidenceItem, EvidenceItemError} from './item.js'

export const DARWIN_PS_ARGS = ['-axww', '-o', 'pid=,ppid=,uid=,user=,comm=']
const SHASUM_BATCH = 64

export interface DarwinProcess {
  pid: number
  ppid: number
  uid: number
  user: string
  exe: string
}

/** Lines of `ps -o pid=,ppid=,uid=,user=,comm=`; comm is last, so a path with spaces stays whole. */
export function parseDarwinPs(text: string): DarwinProcess[] {
  const rows: DarwinProcess[] = []
  for (const line of text.split('\n')) {
    const match = line.match(/^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/)
    if (match) rows.push({exe: match[5] as string, pid: Number(match[1]), ppid: Number(match[2]), uid: Number(match[3]), user: match[4] as string})
  }
  return rows
}

/** The distinct absolute executable paths, sorted: what `shasum` is asked to hash. */
export const executablePaths = (rows: DarwinProcess[]): string[] => [...new Set(rows.map((r) => r.exe).filter((p) => p.startsWith('/')))].sort()

/** The `shasum` command lines for those paths, in batches. */
export const shasumPlan = (paths: string[]): string[][] => {
  const plan: string[][] = []
  for (let i = 0; i < paths.length; i += SHASUM_BATCH) plan.push(['-a', '256', ...paths.slice(i, i + SHASUM_BATCH)])
  return plan
}

/** `<hex>  <path>` lines (binary mode prints ` *path`). */
export function parseShasum(text: string): Map<string, string> {
  const hashes = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = line.match(/^([0-9a-f]{64}) [ *](.+)$/)
    if (match) hashes.set(match[2] as string, match[1] as string)
  }
  return hashes
}

export const darwinProcessesItem: EvidenceItem = {
  name: 'processes.executables',
  timeoutMs: 20_000,
  async run(ctx) {
    const ps = await ctx.exec(TOOLS.ps, DARWIN_PS_ARGS, {timeoutMs: ctx.timeoutMs})
    await ctx.write('processes/ps.txt', ps.raw)
    if (ps.code !== 0) throw new EvidenceItemError(`ps exited ${ps.code}: ${ps.stderr.trim().split('\n')[0] ?? ''}`)
    const rows = parseDarwinPs(ps.stdout)
    const outputs: Buffer[] = []
    const problems: string[] = []
    for (const args of shasumPlan(executablePaths(rows))) {
      // shasum exits 1 when some file is unreadable but still prints the others' hashes.
      const result = await ctx.exec(TOOLS.shasum, args, {timeoutMs: ctx.timeoutMs})
      outputs.push(result.raw)
      if (result.code !== 0 && result.stderr.trim()) problems.push(result.stderr.trim().split('\n')[0] as string)
    }
    const shasum = Buffer.concat(outputs)
    await ctx.write('processes/shasum.txt', shasum)
    const hashes = parseShasum(shasum.toString('utf8'))
    const processes = rows.map((row) => ({...row, sha256: hashes.get(row.exe) ?? null}))
    await ctx.write('processes/processes.json', `${JSON.stringify({problems, processes}, null, 2)}\n`)
  },
}
