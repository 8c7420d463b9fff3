// Address ranges that cover everything except a few addresses: Windows block rules beat allow
// rules, so a block rule that must spare the collector lists the complement of its addresses.
import {isIPv4, isIPv6} from 'node:net'

const V4_MAX = (1n << 32n) - 1n
const V6_MAX = (1n << 128n) - 1n

export function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

export function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase()
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const n = ipv4ToBigInt(v4[1] as string)
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : []
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n)
}

export const bigIntToIpv4 = (n: bigint): string => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.')

export const bigIntToIpv6 = (n: bigint): string =>
  Array.from({length: 8}, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16)).join(':')

function gaps(values: bigint[], max: bigint, format: (n: bigint) => string): string[] {
  const sorted = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const out: string[] = []
  let start = 0n
  for (const v of [...sorted, max + 1n]) {
    if (v > start) out.push(v - 1n === start ? format(start) : `${format(start)}-${format(v - 1n)}`)
    start = v + 1n
  }
  return out
}

/** Every IPv4 and IPv6 address except `addresses`, as netsh `remoteip` ranges. */
export function complementRanges(addresses: string[]): string[] {
  for (const a of addresses) if (!isIPv4(a) && !isIPv6(a)) throw new Error(`not an IP address: ${a}`)
  return [
    ...gaps(addresses.filter((a) => isIPv4(a)).map(ipv4ToBigInt), V4_MAX, bigIntToIpv4),
    ...gaps(addresses.filter((a) => isIPv6(a)).map(ipv6ToBigInt), V6_MAX, bigIntToIpv6),
  ]
}
