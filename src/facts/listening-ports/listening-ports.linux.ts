// Listening sockets on Linux from /proc/net/{tcp,tcp6,udp,udp6}, with the owning process found by
// matching socket inodes against /proc/<pid>/fd links ("socket:[12345]"). No `ss`/`netstat` needed;
// without root, other users' sockets keep pid and process null.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {endianness} from 'node:os'
import {join} from 'node:path'

import {listProcesses} from '../linux/proc-processes.js'
import type {CollectContext, Row} from '../types.js'

const TCP_LISTEN = '0A'
const TCP_CLOSE = '07'

/** One 32-bit word of /proc/net's hex address, printed in the host's byte order. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
  return littleEndian ? bytes.reverse() : bytes
}

/** Decodes "0100007F" (IPv4) or 32 hex digits (IPv6, four host-order words) to text. */
export function decodeProcAddress(hex: string, littleEndian = endianness() === 'LE'): string {
  if (hex.length === 8) return wordBytes(hex, littleEndian).join('.')
  const bytes: number[] = []
  for (let w = 0; w < 4; w++) bytes.push(...wordBytes(hex.slice(w * 8, w * 8 + 8), littleEndian))
  // ::ffff:a.b.c.d mapped IPv4
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16))
  return compressIpv6(groups)
}

/** Shortens the longest run of zero groups to "::" (RFC 5952). */
function compressIpv6(groups: string[]): string {
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < groups.length && groups[j] === '0') j++
    if (j - i > bestLen && j - i > 1) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  if (bestStart < 0) return groups.join(':')
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.')
}

export interface ProcSocket {
  protocol: string
  address: string
  port: number
  inode: number
}

/**
 * Parses one /proc/net table. TCP keeps LISTEN sockets; UDP keeps bound, unconnected sockets
 * (state CLOSE with no remote address): what a remote peer can send to.
 */
export function parseProcNet(text: string, protocol: string, littleEndian = endianness() === 'LE'): ProcSocket[] {
  const out: ProcSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 10) continue
    const [local, remote, state] = [cols[1], cols[2], cols[3]] as [string, string, string]
    const listening = protocol.startsWith('tcp') ? state === TCP_LISTEN : state === TCP_CLOSE && /^0+:0+$/.test(remote)
    if (!listening) continue
    const [addrHex, portHex] = local.split(':') as [string, string]
    out.push({address: decodeProcAddress(addrHex, littleEndian), inode: Number(cols[9]), port: Number.parseInt(portHex, 16), protocol})
  }
  return out
}

/** Socket inode → owning pid, from /proc/<pid>/fd links (the first process holding it). */
export function socketOwners(root = '/'): Map<number, number> {
  const proc = join(root, 'proc')
  const owners = new Map<number, number>()
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue
    let fds: string[]
    try {
      fds = readdirSync(join(proc, entry, 'fd'))
    } catch {
      continue // not ours to see, or gone
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(join(proc, entry, 'fd', fd))
      } catch {
        continue
      }
      const m = /^socket:\[(\d+)\]$/.exec(target)
      if (m && !owners.has(Number(m[1]))) owners.set(Number(m[1]), Number(entry))
    }
  }
  return owners
}

export function listeningRows(sockets: ProcSocket[], owners: Map<number, number>, names: Map<number, string>): Row[] {
  const seen = new Set<string>()
  const rows: Row[] = []
  for (const s of sockets) {
    const pid = owners.get(s.inode) ?? null
    // SO_REUSEPORT groups show one socket per worker: one row per (protocol, address, port, pid).
    const key = `${s.protocol}|${s.address}|${s.port}|${pid}`
    if (seen.has(key)) continue
    seen.add(key)
    rows.push({
      address: s.address,
      loopback: isLoopback(s.address),
      pid,
      port: s.port,
      process: pid === null ? null : (names.get(pid) ?? null),
      protocol: s.protocol,
    })
  }
  return rows.sort((a, b) => String(a.protocol).localeCompare(String(b.protocol)) || (a.port as number) - (b.port as number))
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const sockets: ProcSocket[] = []
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6']) {
    try {
      sockets.push(...parseProcNet(readFileSync(join(root, 'proc', 'net', protocol), 'utf8'), protocol))
    } catch {
      // IPv6 disabled: no tcp6/udp6 table
    }
  }
  if (sockets.length === 0) return []
  const processes = await listProcesses(ctx, root)
  return listeningRows(sockets, socketOwners(root), new Map(processes.map((p) => [p.pid, p.name])))
}
