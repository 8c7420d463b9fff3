// macOS: `lsof -nP -iTCP -sTCP:LISTEN` and `lsof -nP -iUDP` in field mode (-F), which survives
// command names with spaces. Without root, lsof shows only this user's sockets, so `netstat -an`
// (which lists every socket, without owners) adds the rest with pid/process null.
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

export interface Socket {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6'
  address: string
  port: number
  pid: null | number
  process: null | string
}

const isLoopback = (address: string): boolean => /^127\./.test(address) || address === '::1'

/** "*:22" (IPv4 or IPv6 by the socket type), "127.0.0.1:631", "[::1]:631", "[fe80:4::1]:5353". */
function splitName(name: string, ipv6: boolean): null | {address: string; port: number} {
  const m = /^(\*|\[[^\]]+\]|[^:]+):(\d+)$/.exec(name)
  if (!m) return null
  let address = m[1] as string
  if (address === '*') address = ipv6 ? '::' : '0.0.0.0'
  else address = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  return {address, port: Number(m[2])}
}

/** `lsof -F pcPtn` output: "p<pid>", "c<command>", then per file "f…", "t<IPv4|IPv6>", "P<TCP|UDP>", "n<name>". */
export function parseLsofFields(text: string): Socket[] {
  const sockets: Socket[] = []
  let pid: null | number = null
  let command: null | string = null
  let type = ''
  let proto = ''
  for (const line of text.split('\n')) {
    const tag = line[0]
    const value = line.slice(1)
    if (tag === 'p') {
      pid = Number(value)
      command = null
    } else if (tag === 'c') command = value
    else if (tag === 'f') {
      type = ''
      proto = ''
    } else if (tag === 't') type = value
    else if (tag === 'P') proto = value
    else if (tag === 'n') {
      // Connected UDP sockets ("a:1->b:2") are not waiting for anyone.
      if (value.includes('->')) continue
      const ipv6 = type === 'IPv6'
      const where = splitName(value, ipv6)
      const base = proto === 'UDP' ? 'udp' : proto === 'TCP' ? 'tcp' : null
      if (!where || !base) continue
      sockets.push({...where, pid, process: command, protocol: ipv6 ? `${base}6` : base})
    }
  }
  return sockets
}

/**
 * `netstat -an -p tcp|udp`: "tcp4  0  0  *.22  *.*  LISTEN", "tcp6 … ::1.631 …", "udp4 … *.5353 …";
 * the port follows the address's last dot. TCP rows count only when LISTEN; UDP rows when the
 * foreign address is "*.*" (not connected).
 */
export function parseNetstat(text: string): Socket[] {
  const sockets: Socket[] = []
  for (const line of text.split('\n')) {
    const m = /^(tcp|udp)(4|6|46)\s+\d+\s+\d+\s+(\S+)\s+(\S+)\s*(\S*)/.exec(line)
    if (!m) continue
    const [, base, family, local, foreign, state] = m as unknown as [string, 'tcp' | 'udp', string, string, string, string]
    if (base === 'tcp' ? state !== 'LISTEN' : foreign !== '*.*') continue
    const dot = local.lastIndexOf('.')
    const port = Number(local.slice(dot + 1))
    if (dot < 0 || !Number.isInteger(port)) continue
    const ipv6 = family !== '4'
    let address = local.slice(0, dot).replace(/%.*$/, '')
    if (address === '*') address = ipv6 ? '::' : '0.0.0.0'
    sockets.push({address, pid: null, port, process: null, protocol: ipv6 ? `${base}6` : base})
  }
  return sockets
}

/** lsof rows, then netstat rows for sockets lsof could not see; one row per socket and owner. */
export function listeningRows(lsof: Socket[], netstat: Socket[]): Row[] {
  const key = (s: Socket): string => `${s.protocol} ${s.address} ${s.port}`
  const seen = new Set(lsof.map(key))
  const rows = new Map<string, Row>()
  for (const s of [...lsof, ...netstat.filter((n) => !seen.has(key(n)))]) {
    rows.set(`${key(s)} ${s.pid ?? ''}`, {address: s.address, loopback: isLoopback(s.address), pid: s.pid, port: s.port, process: s.process, protocol: s.protocol})
  }
  return [...rows.values()]
}

/**
 * lsof exits 1 with no output when nothing matches (an empty list, not a failure), and also
 * exits 1 after printing what it found when it could not inspect some process.
 */
async function lsof(ctx: CollectContext, args: string[]): Promise<Socket[]> {
  const result = await ctx.exec(TOOLS.lsof, ['-nP', ...args, '-F', 'pcPtn'], {timeoutMs: 10_000})
  if (result.code === 0 || result.stdout.trim() !== '' || (result.code === 1 && result.stderr.trim() === '')) return parseLsofFields(result.stdout)
  throw new FactError('failed', `lsof ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''}`)
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const admin = await ctx.isAdmin()
  const netstat = async (proto: string): Promise<Socket[]> =>
    parseNetstat((await execOk(ctx.exec, TOOLS.netstat, ['-an', '-p', proto], {timeoutMs: 10_000})).stdout)
  const [tcp, udp, ...others] = await Promise.all([
    lsof(ctx, ['-iTCP', '-sTCP:LISTEN']),
    lsof(ctx, ['-iUDP']),
    ...(admin ? [] : [netstat('tcp'), netstat('udp')]),
  ])
  return listeningRows([...tcp, ...udp], others.flat())
}
