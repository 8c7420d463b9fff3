// Every facts table: its spec, and a lazy loader per platform (imports cost start-up time).
import {spec as activationTraces} from './activation-traces/activation-traces.spec.js'
import {spec as antivirus} from './antivirus/antivirus.spec.js'
import {spec as firewall} from './firewall/firewall.spec.js'
import {spec as installedSoftware} from './installed-software/installed-software.spec.js'
import {spec as listeningPorts} from './listening-ports/listening-ports.spec.js'
import {spec as managedAccounts} from './managed-accounts/managed-accounts.spec.js'
import {spec as networkInterfaces} from './network-interfaces/network-interfaces.spec.js'
import {spec as officeActivation} from './office-activation/office-activation.spec.js'
import {spec as osVersion} from './os-version/os-version.spec.js'
import {spec as patchStatus} from './patch-status/patch-status.spec.js'
import {spec as plaintextSecrets} from './plaintext-secrets/plaintext-secrets.spec.js'
import {spec as processes} from './processes/processes.spec.js'
import {spec as screenLock} from './screen-lock/screen-lock.spec.js'
import type {Platform, TableCollector, TableSpec} from './types.js'
import {spec as vpn} from './vpn/vpn.spec.js'
import {spec as wifi} from './wifi/wifi.spec.js'

export interface TableEntry {
  spec: TableSpec
  load: Partial<Record<Platform, () => Promise<TableCollector>>>
  /** Platforms where the collector reads files itself (not tool output), so a recording cannot hold it. */
  readsFiles?: Platform[]
}

export const TABLES: readonly TableEntry[] = [
  {
    spec: osVersion,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./os-version/os-version.darwin.js'),
      linux: () => import('./os-version/os-version.linux.js'),
      win32: () => import('./os-version/os-version.win32.js'),
    },
  },
  {
    spec: installedSoftware,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./installed-software/installed-software.darwin.js'),
      linux: () => import('./installed-software/installed-software.linux.js'),
      win32: () => import('./installed-software/installed-software.win32.js'),
    },
  },
  {
    spec: patchStatus,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./patch-status/patch-status.darwin.js'),
      linux: () => import('./patch-status/patch-status.linux.js'),
      win32: () => import('./patch-status/patch-status.win32.js'),
    },
  },
  {
    spec: antivirus,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./antivirus/antivirus.darwin.js'),
      linux: () => import('./antivirus/antivirus.linux.js'),
      win32: () => import('./antivirus/antivirus.win32.js'),
    },
  },
  {
    spec: processes,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./processes/processes.darwin.js'),
      linux: () => import('./processes/processes.linux.js'),
      win32: () => import('./processes/processes.win32.js'),
    },
  },
  {
    spec: networkInterfaces,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./network-interfaces/network-interfaces.darwin.js'),
      linux: () => import('./network-interfaces/network-interfaces.linux.js'),
      win32: () => import('./network-interfaces/network-interfaces.win32.js'),
    },
  },
  {
    spec: wifi,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./wifi/wifi.darwin.js'),
      linux: () => import('./wifi/wifi.linux.js'),
      win32: () => import('./wifi/wifi.win32.js'),
    },
  },
  {
    spec: vpn,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./vpn/vpn.darwin.js'),
      linux: () => import('./vpn/vpn.linux.js'),
      win32: () => import('./vpn/vpn.win32.js'),
    },
  },
  {
    spec: firewall,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./firewall/firewall.darwin.js'),
      linux: () => import('./firewall/firewall.linux.js'),
      win32: () => import('./firewall/firewall.win32.js'),
    },
  },
  {
    spec: listeningPorts,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./listening-ports/listening-ports.darwin.js'),
      linux: () => import('./listening-ports/listening-ports.linux.js'),
      win32: () => import('./listening-ports/listening-ports.win32.js'),
    },
  },
  {
    spec: activationTraces,
    load: {win32: () => import('./activation-traces/activation-traces.win32.js')},
  },
  {
    spec: officeActivation,
    load: {win32: () => import('./office-activation/office-activation.win32.js')},
  },
  {
    spec: managedAccounts,
    readsFiles: ['linux', 'win32', 'darwin'],
    load: {
      darwin: () => import('./managed-accounts/managed-accounts.darwin.js'),
      linux: () => import('./managed-accounts/managed-accounts.linux.js'),
      win32: () => import('./managed-accounts/managed-accounts.win32.js'),
    },
  },
  {
    spec: screenLock,
    readsFiles: ['linux'],
    load: {
      darwin: () => import('./screen-lock/screen-lock.darwin.js'),
      linux: () => import('./screen-lock/screen-lock.linux.js'),
      win32: () => import('./screen-lock/screen-lock.win32.js'),
    },
  },
  {
    spec: plaintextSecrets,
    readsFiles: ['linux', 'win32', 'darwin'],
    load: {
      darwin: () => import('./plaintext-secrets/plaintext-secrets.darwin.js'),
      linux: () => import('./plaintext-secrets/plaintext-secrets.linux.js'),
      win32: () => import('./plaintext-secrets/plaintext-secrets.win32.js'),
    },
  },
]

export const TABLE_NAMES: readonly string[] = TABLES.map((t) => t.spec.name)

export function tableSpec(name: string): TableSpec | undefined {
  return TABLES.find((t) => t.spec.name === name)?.spec
}
