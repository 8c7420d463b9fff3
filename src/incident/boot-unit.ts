// The systemd unit that keeps an isolated Linux PC cut off across a restart (#11 2.5): nftables
// tables, iptables chains and downed links all vanish at a reboot, so at every boot, before any
// network comes up, it runs `nm-guard incident reapply`, which re-applies the journalled cut while
// an incident is open. Pure: the agent package renders it (packaging/deb-units.ts), `incident
// status` reads its state (boot-unit.linux.ts).
import {join} from 'node:path'

import {systemdQuote} from '../schedule/schedule.linux.js'

export const BOOT_UNIT = 'nm-guard-isolation.service'

/** The boot step's arguments after the program: what the unit runs. */
export const REAPPLY_ARGS = ['incident', 'reapply'] as const

/**
 * Loaders that start by flushing rules: Debian's nftables.service (`flush ruleset` in
 * /etc/nftables.conf), netfilter-persistent and iptables/ip6tables.service (iptables-restore
 * replaces whole tables), firewalld with its iptables backend, ufw. Ordered after them, the cut is
 * loaded last and nothing flushes it away; a loader that is not installed is simply not waited for.
 */
const FIREWALL_LOADERS = ['nftables.service', 'netfilter-persistent.service', 'iptables.service', 'ip6tables.service', 'firewalld.service', 'ufw.service']

export interface BootUnitOptions {
  /** Absolute node and bin/run.js. */
  command: string[]
  /** Where the journal lives (root's state folder). */
  stateDir: string
  /** The first comment line: who installed the unit. */
  header: string
}

export function bootUnitText(options: BootUnitOptions): string {
  const journal = join(options.stateDir, 'incident', 'journal.json')
  return [
    options.header,
    '# Re-applies the network cut of an open incident at every boot, before any network comes up,',
    '# until `nm-guard reconnect` closes the incident (`nm-guard incident status` shows it).',
    '[Unit]',
    'Description=nm-guard: keep an isolated PC cut off from the network across restarts',
    // Early boot: the default dependencies would order it after basic.target, too late to come
    // before network-pre.target. It needs only the file systems that hold the journal and node.
    'DefaultDependencies=no',
    'Wants=local-fs.target',
    'After=local-fs.target systemd-modules-load.service',
    `After=${FIREWALL_LOADERS.join(' ')}`,
    // network-pre.target is where firewalls go: every network service (NetworkManager,
    // systemd-networkd, ifupdown's networking.service) is ordered after it, so no link comes up
    // before the cut. Wants= pulls the target in, as a firewall unit must (systemd.special(7)).
    'Before=network-pre.target',
    'Wants=network-pre.target',
    'Conflicts=shutdown.target',
    'Before=shutdown.target',
    // No open incident, nothing to do: systemd does not even start node.
    `ConditionPathExists=${journal}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${[...options.command, ...REAPPLY_ARGS].map((word) => systemdQuote(word)).join(' ')}`,
    // Bounded: the network services wait for this unit, and a boot must go on whatever happens.
    'TimeoutStartSec=90',
    '',
    '[Install]',
    // sysinit.target, as nftables.service: pulled into every boot that gets that far, rescue mode
    // included (where someone may bring a link up by hand), not only multi-user boots; the ordering
    // above, not the target, is what puts it before the network.
    'WantedBy=sysinit.target',
    '',
  ].join('\n')
}

/** What `systemctl is-enabled UNIT` says: enabled (it runs at boot) or not, and the word it printed. */
export interface BootUnitState {
  unit: string
  /** enabled, enabled-runtime, static, disabled, masked, not-found…; null when systemctl could not tell. */
  state: null | string
  /** The unit runs at the next boot. */
  enabled: boolean
}

/**
 * `systemctl is-enabled` exits 0 for enabled units and prints one word; older versions print
 * nothing on stdout for a unit that does not exist ("Failed to get unit file state … No such file").
 */
export function parseIsEnabled(unit: string, code: null | number, stdout: string, stderr: string): BootUnitState {
  const word = stdout.trim().split(/\s+/)[0] ?? ''
  if (word !== '') return {enabled: code === 0 && /^enabled(-runtime)?$/.test(word), state: word, unit}
  if (/no such file|not found|not loaded/i.test(stderr)) return {enabled: false, state: 'not-found', unit}
  return {enabled: false, state: null, unit}
}
