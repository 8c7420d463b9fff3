// The nftables cut: one table, `inet nm_guard`, whose base chains drop every packet (established
// connections included: there is deliberately no blanket `ct state established accept`) except
// loopback and, with --keep-collector, the TCP connections this PC opens to the collector's resolved
// addresses and port, with their replies. Nothing that starts outside gets in, whatever its source
// address and port: the input rule asks conntrack for an established connection. A second table,
// `bridge nm_guard`, drops what bridges forward (a VM bridged through the PC), which never reaches
// the inet hooks unless br_netfilter is active (#11 2.4).
import {isIP, isIPv6} from 'node:net'

import type {CollectorEndpoint} from '../types.js'

export const NFT_TABLE = 'nm_guard'
export const NFT_FAMILY = 'inet'
export const NFT_BRIDGE_FAMILY = 'bridge'

/** Only IP literals reach a ruleset; anything else would be a script injection. */
export function checkAddress(address: string): string {
  if (isIP(address) === 0) throw new Error(`not an IP address: ${address}`)
  return address
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`not a TCP port: ${port}`)
  return port
}

/**
 * Output: packets to the collector's address and port. Input: only packets of a connection conntrack
 * already knows as established, which needs this PC to have sent first; a connection someone opens
 * from the collector's address and port (spoofed or not) is `ct state new` and meets the drop.
 * The output rule cannot ask conntrack: at priority -300 it runs before conntrack has looked at a
 * locally sent packet (`ct state` reads as invalid there), and it needs no state: with no
 * connection from outside let in, every packet this PC sends to the collector is one it started.
 */
function collectorRules(keep: CollectorEndpoint | null, direction: 'input' | 'output'): string[] {
  if (!keep) return []
  const port = checkPort(keep.port)
  return keep.addresses.map((raw) => {
    const address = checkAddress(raw)
    const family = isIPv6(address) ? 'ip6' : 'ip'
    return direction === 'output'
      ? `${family} daddr ${address} tcp dport ${port} accept`
      : `${family} saddr ${address} tcp sport ${port} ct state established accept`
  })
}

/**
 * The `nft -f -` script. Declaring then deleting each table first makes a re-run replace it
 * rather than fail or duplicate it, both tables inside one atomic transaction.
 */
export function nftIsolationScript(keep: CollectorEndpoint | null): string {
  const chain = (name: string, hook: string, rules: string[]): string[] => [
    `  chain ${name} {`,
    // Priority -300 puts the cut ahead of every other filter chain (and, on output, of conntrack),
    // so nothing another table accepts can slip past before our drop. On input conntrack has
    // already run (prerouting, -200), so `ct state` is known there.
    `    type filter hook ${hook} priority -300; policy drop;`,
    ...rules.map((rule) => `    ${rule}`),
    '  }',
  ]
  return [
    `table ${NFT_FAMILY} ${NFT_TABLE}`,
    `delete table ${NFT_FAMILY} ${NFT_TABLE}`,
    `table ${NFT_FAMILY} ${NFT_TABLE} {`,
    ...chain('input', 'input', ['iifname "lo" accept', ...collectorRules(keep, 'input')]),
    ...chain('output', 'output', ['oifname "lo" accept', ...collectorRules(keep, 'output')]),
    ...chain('forward', 'forward', []),
    '}',
    `table ${NFT_BRIDGE_FAMILY} ${NFT_TABLE}`,
    `delete table ${NFT_BRIDGE_FAMILY} ${NFT_TABLE}`,
    `table ${NFT_BRIDGE_FAMILY} ${NFT_TABLE} {`,
    // Only frames the bridge forwards between its ports: the PC's own traffic on a bridge goes
    // through its input and output hooks, and on to the inet table, so the kept collector stays.
    ...chain('forward', 'forward', []),
    '}',
    '',
  ].join('\n')
}

/** Removes our tables if present (the add-then-delete idiom never fails on a missing table). */
export const nftRemoveScript = (): string =>
  [NFT_FAMILY, NFT_BRIDGE_FAMILY].map((family) => `table ${family} ${NFT_TABLE}\ndelete table ${family} ${NFT_TABLE}\n`).join('')

/** Puts back a saved `nft list ruleset` exactly, in one transaction. */
export const nftRestoreScript = (saved: string): string => `flush ruleset\n${saved}${saved.endsWith('\n') || saved === '' ? '' : '\n'}`

/**
 * A ruleset without its moving parts (counter values, set element timers), so "still the
 * journalled ruleset?" is not fooled by packets counted since the snapshot.
 */
export const normalizeNftRuleset = (text: string): string =>
  text
    .replaceAll(/packets \d+ bytes \d+/g, 'packets 0 bytes 0')
    .replaceAll(/ (expires|used) [\dhms.]+/g, '')
    .trim()
