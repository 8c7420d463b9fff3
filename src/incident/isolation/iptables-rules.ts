// The iptables fallback: one chain, NM_GUARD, with the same rules as the nftables table, jumped to
// from INPUT, OUTPUT and FORWARD at position 1. Loaded with `iptables-restore --noflush`, so the
// chain and its jumps appear in one commit. As there, only replies of connections this PC opened
// come in from the collector (conntrack ESTABLISHED): nothing opened from outside gets in.
import {isIPv6} from 'node:net'

import type {CollectorEndpoint, PlannedCommand} from '../types.js'
import {checkAddress} from './nftables-script.js'

export const IPT_CHAIN = 'NM_GUARD'
export const IPT_HOOKS = ['INPUT', 'OUTPUT', 'FORWARD'] as const
export type IpFamily = 4 | 6

export const iptablesTool = (family: IpFamily): string => (family === 4 ? 'iptables' : 'ip6tables')

/** The `iptables-restore --noflush` input for one family. */
export function iptablesRestoreInput(family: IpFamily, keep: CollectorEndpoint | null): string {
  const addresses = (keep?.addresses ?? []).map(checkAddress).filter((a) => isIPv6(a) === (family === 6))
  return [
    '*filter',
    // With --noflush, declaring an existing user chain empties it: a re-run replaces the rules.
    `:${IPT_CHAIN} - [0:0]`,
    `-A ${IPT_CHAIN} -i lo -j ACCEPT`,
    `-A ${IPT_CHAIN} -o lo -j ACCEPT`,
    ...addresses.flatMap((a) => [
      `-A ${IPT_CHAIN} -d ${a} -p tcp -m tcp --dport ${keep?.port} -j ACCEPT`,
      `-A ${IPT_CHAIN} -s ${a} -p tcp -m tcp --sport ${keep?.port} -m conntrack --ctstate ESTABLISHED -j ACCEPT`,
    ]),
    `-A ${IPT_CHAIN} -j DROP`,
    ...IPT_HOOKS.map((hook) => `-I ${hook} 1 -j ${IPT_CHAIN}`),
    'COMMIT',
    '',
  ].join('\n')
}

export function iptablesPlan(family: IpFamily, keep: CollectorEndpoint | null): PlannedCommand {
  return {
    args: ['-w', '--noflush'],
    file: `${iptablesTool(family)}-restore`,
    input: iptablesRestoreInput(family, keep),
    purpose: family === 4 ? 'incident.step.iptables' : 'incident.step.ip6tables',
  }
}

/** How many jumps to NM_GUARD each built-in chain holds, from `iptables -S` output. */
export function countJumps(listing: string): Record<(typeof IPT_HOOKS)[number], number> {
  const counts = {FORWARD: 0, INPUT: 0, OUTPUT: 0}
  for (const line of listing.split('\n')) {
    const m = /^-A (INPUT|OUTPUT|FORWARD) -j NM_GUARD\s*$/.exec(line.trim())
    if (m) counts[m[1] as keyof typeof counts] += 1
  }
  return counts
}

export const hasChain = (listing: string): boolean => listing.split('\n').some((line) => line.trim() === `-N ${IPT_CHAIN}`)

/** `iptables-save` without what changes by itself: comments (dates) and counters. */
export const normalizeIptablesSave = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n')
    .trim()
