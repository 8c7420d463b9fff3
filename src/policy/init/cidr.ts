// Address ranges as a district writes them (10.13.0.0/16, 2001:db8::/48): strict syntax, and the
// network address with the host bits cleared, so an answer like 10.13.5.1/16 can be corrected.
import {isIPv4, isIPv6} from 'node:net'

export interface Cidr {
  /** The address as given (no brackets, no zone). */
  address: string
  prefix: number
  family: 4 | 6
}

/** "a.b.c.d/n" (n 0–32) or "ipv6/n" (n 0–128); anything else, a bare address included, is undefined. */
export function parseCidr(text: string): Cidr | undefined {
  // No zone (fe80::1%eth0): a range in a policy is not tied to one interface.
  const match = /^([^/%\s]+)\/(0|[1-9]\d{0,2})$/.exec(text)
  if (!match) return undefined
  const address = match[1] as string
  const prefix = Number(match[2])
  if (isIPv4(address) && prefix <= 32) return {address, family: 4, prefix}
  if (isIPv6(address) && prefix <= 128) return {address, family: 6, prefix}
  return undefined
}

const V4_BITS = 32n
const V6_BITS = 128n

/** The range's network (host bits cleared) in canonical form: 10.13.5.1/16 → 10.13.0.0/16. */
export function networkOf(cidr: Cidr): string {
  const bits = cidr.family === 4 ? V4_BITS : V6_BITS
  const value = cidr.family === 4 ? v4ToBigInt(cidr.address) : v6ToBigInt(cidr.address)
  const hostBits = bits - BigInt(cidr.prefix)
  const network = (value >> hostBits) << hostBits
  return `${cidr.family === 4 ? bigIntToV4(network) : bigIntToV6(network)}/${cidr.prefix}`
}

/** Whether the address has bits set past the prefix (10.13.5.1/16). */
export function hostBitsSet(cidr: Cidr): boolean {
  const bits = cidr.family === 4 ? V4_BITS : V6_BITS
  const value = cidr.family === 4 ? v4ToBigInt(cidr.address) : v6ToBigInt(cidr.address)
  const hostMask = (1n << (bits - BigInt(cidr.prefix))) - 1n
  return (value & hostMask) !== 0n
}

function v4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function bigIntToV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.')
}

/** Eight 16-bit groups; a dotted IPv4 tail (::ffff:1.2.3.4) counts as the last two. */
function v6ToBigInt(address: string): bigint {
  let text = address.toLowerCase()
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1]
  if (tail) {
    const v4 = v4ToBigInt(tail)
    text = `${text.slice(0, -tail.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head = '', rest] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = rest === undefined || rest === '' ? [] : rest.split(':')
  const zeros = rest === undefined ? [] : Array.from({length: 8 - left.length - right.length}, () => '0')
  return [...left, ...zeros, ...right].reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n)
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
function bigIntToV6(value: bigint): string {
  const groups = Array.from({length: 8}, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn))
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i]
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
