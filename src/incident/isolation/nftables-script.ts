// The nftables cut: one table, `inet nm_guard`, whose base chains drop every packet (established
// connections included: there is deliberately no `ct state established accept`) except loopback
// and, with --keep-collector, TCP to and from the collector's resolved addresses and port.
import {isIP, isIPv6} from 'node:net'

import type {CollectorEndpoint} from '../types.js'

export const NFT_TABLE = 'nm_guard'
export const NFT_FAMILY = 'inet'

/** Only IP literals reach a ruleset; anything else would be a script injection. */
export function checkAddress(address: string): string {
  if (isIP(address) === 0) throw new Error(`not an IP address: ${address}`)
  return address
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`not a TCP port: ${port}`)
  return port
}

function collectorRules(keep: CollectorEndpoint | null, direction: 'input' | 'output'): string[] {
  if (!keep) return []
  const port = checkPort(keep.port)
  return keep.addresses.map((raw) => {
    const address = checkAddress(raw)
    const family = isIPv6(address) ? 'ip6' : 'ip'
    return direction === 'output'
      ? `${family} daddr ${address} tcp dport ${port} accept`
      : `${family} saddr ${address} tcp sport ${port} accept`
  })
}

/**
 * The `nft -f -` script. Declaring then deleting the table first makes a re-run replace it
 * rather than fail or duplicate it, all inside one atomic transaction.
 */
export function nftIsolationScript(keep: CollectorEndpoint | null): string {
  const chain = (name: string, hook: string, rules: string[]): string[] => [
    `  chain ${name} {`,
    // Priority -300 puts the cut ahead of every other filter chain (and conntrack), so nothing
    // another table accepts can slip past before our drop.
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
    '',
  ].join('\n')
}

/** Removes our table if present (the add-then-delete idiom never fails on a missing table). */
export const nftRemoveScript = (): string => `table ${NFT_FAMILY} ${NFT_TABLE}\ndelete table ${NFT_FAMILY} ${NFT_TABLE}\n`

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
