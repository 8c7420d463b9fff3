// Debian packages (统信UOS, 银河麒麟, Debian/Ubuntu) built with dpkg-deb from a staged tree: no
// debhelper, no network. The runtime and the app go under /usr/lib/<name>, a small sh wrapper on
// /usr/bin runs them, so nothing depends on a system node.
import {execFileSync} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {AppKind} from './bundle.js'
import {agentScripts, collectorScripts} from './deb-scripts.js'
import {AGENT_BOOT_UNIT, AGENT_PREFIX, AGENT_UNIT, agentBootUnit, agentUnits, COLLECTOR_ENV_DEFAULT, COLLECTOR_ENV_FILE, COLLECTOR_PREFIX, COLLECTOR_UNIT, collectorService} from './deb-units.js'
import {NODE_RUNTIMES, type Target} from './pins.js'
import type {StagedTree} from './stage.js'

export const DEB_NAME: Record<AppKind, string> = {agent: 'nm-guard-agent', collector: 'nm-guard-collector'}

export interface DebOptions {
  kind: AppKind
  target: Target
  arch: string
  version: string
  /** Releases: xz -6. Tests: 'none' (the same files, built in seconds instead of a minute). */
  compression?: 'none' | 'xz'
}

/** The bundled Node needs glibc ≥ 2.28 and GCC's runtime (统信UOS 20 and 麒麟 V10 have both). */
const DEPENDS = 'libc6 (>= 2.28), libstdc++6 (>= 8), libgcc-s1 | libgcc1'

const DESCRIPTION: Record<AppKind, string> = {
  agent: [
    'Security posture and password hygiene agent for new-media PCs',
    ' Audits this PC against clause 四(二) of the district new-media plan, keeps the managed',
    " accounts' passwords in the system keychain, reports to the district collector and isolates",
    ' the PC on demand. Carries its own Node.js runtime. Install-time settings:',
    ' /etc/nm-guard/agent.conf (COLLECTOR_URL, ENROLL_TOKEN, CA_FINGERPRINT).',
  ].join('\n'),
  collector: [
    'Central collector for nm-guard agents',
    ' Issues agent certificates, receives their reports over mutual TLS and serves the',
    ' district dashboard, as the nm-guard-collector system service. Carries its own Node.js',
    ' runtime. Settings: /etc/nm-guard-collector/collector.env.',
  ].join('\n'),
}

/** What `nm-guard --version` prints on that target: all of it is fixed when the package is built. */
export const versionLine = (version: string, target: Target): string => `nm-guard/${version} ${target} node-v${NODE_RUNTIMES[target].version}`

function wrapper(kind: AppKind, version: string, target: Target): string {
  if (kind === 'agent') {
    return [
      '#!/bin/sh',
      // Answered here, the same line bin/run.js prints: fleet scripts call it often, and starting
      // Node alone takes ~0.1 s on an office PC.
      `if [ "$#" -eq 1 ]; then case "$1" in --version|-v|version) echo '${versionLine(version, target)}'; exit 0;; esac; fi`,
      `exec ${AGENT_PREFIX}/node ${AGENT_PREFIX}/app/bin/run.js "$@"`,
      '',
    ].join('\n')
  }
  // `nm-guard-collector token create` is `nm-guard collector token create` on the service's folder
  // and database: the same settings file as the service (root-owned, readable by its group).
  return [
    '#!/bin/sh',
    `if [ -r ${COLLECTOR_ENV_FILE} ]; then set -a; . ${COLLECTOR_ENV_FILE}; set +a; fi`,
    ': "${NMG_COLLECTOR_DIR:=/var/lib/nm-guard-collector}"',
    'export NMG_COLLECTOR_DIR',
    `exec ${COLLECTOR_PREFIX}/node ${COLLECTOR_PREFIX}/app/bin/run.js collector "$@"`,
    '',
  ].join('\n')
}

function writeFile(path: string, text: string, mode = 0o644): void {
  mkdirSync(join(path, '..'), {recursive: true})
  writeFileSync(path, text)
  chmodSync(path, mode)
}

/** Sizes in KiB, as dpkg's Installed-Size counts them. */
function installedSizeKiB(dir: string): number {
  let bytes = 0
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size
  }
  return Math.ceil(bytes / 1024)
}

/** Normalises modes: dpkg-deb warns about, and lintian rejects, group/world-writable files. */
function normaliseModes(dir: string): void {
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isDirectory()) chmodSync(path, 0o755)
    else if (entry.isFile()) chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644)
  }
}

export function debFileName(opts: Pick<DebOptions, 'arch' | 'kind' | 'version'>): string {
  return `${DEB_NAME[opts.kind]}_${opts.version}_${opts.arch}.deb`
}

/** Builds the package into outDir; returns its path. */
export function buildDeb(staged: StagedTree, opts: DebOptions, workDir: string, outDir: string): string {
  const root = join(workDir, `deb-${opts.kind}-${opts.arch}`)
  rmSync(root, {force: true, recursive: true})
  const prefix = opts.kind === 'agent' ? AGENT_PREFIX : COLLECTOR_PREFIX
  const lib = join(root, prefix)
  mkdirSync(lib, {recursive: true})
  cpSync(staged.dir, lib, {recursive: true})
  const command = opts.kind === 'agent' ? 'nm-guard' : 'nm-guard-collector'
  writeFile(join(root, 'usr', 'bin', command), wrapper(opts.kind, opts.version, opts.target), 0o755)
  const doc = join(root, 'usr', 'share', 'doc', DEB_NAME[opts.kind])
  writeFile(join(doc, 'copyright'), 'nm-guard: MIT (see /usr/lib/*/app/LICENSE). Node.js runtime: see node.LICENSE beside it.\n')

  const conffiles: string[] = []
  if (opts.kind === 'agent') {
    const units = agentUnits()
    writeFile(join(root, 'lib', 'systemd', 'system', `${AGENT_UNIT}.service`), units.service)
    writeFile(join(root, 'lib', 'systemd', 'system', `${AGENT_UNIT}.timer`), units.timer)
    writeFile(join(root, 'lib', 'systemd', 'system', AGENT_BOOT_UNIT), agentBootUnit())
  } else {
    writeFile(join(root, 'lib', 'systemd', 'system', `${COLLECTOR_UNIT}.service`), collectorService())
    writeFile(join(root, COLLECTOR_ENV_FILE), COLLECTOR_ENV_DEFAULT)
    conffiles.push(COLLECTOR_ENV_FILE)
  }
  normaliseModes(root)

  const debian = join(root, 'DEBIAN')
  const control = [
    `Package: ${DEB_NAME[opts.kind]}`,
    `Version: ${opts.version}`,
    `Architecture: ${opts.arch}`,
    'Maintainer: nm-guard <nm-guard@localhost>',
    `Installed-Size: ${installedSizeKiB(root)}`,
    `Depends: ${DEPENDS}${opts.kind === 'collector' ? ', passwd' : ''}`,
    'Section: admin',
    'Priority: optional',
    `Description: ${DESCRIPTION[opts.kind]}`,
    '',
  ].join('\n')
  writeFile(join(debian, 'control'), control)
  if (conffiles.length > 0) writeFile(join(debian, 'conffiles'), `${conffiles.join('\n')}\n`)
  const scripts = opts.kind === 'agent' ? agentScripts() : collectorScripts()
  for (const [name, text] of Object.entries(scripts)) writeFile(join(debian, name), text, 0o755)

  mkdirSync(outDir, {recursive: true})
  const out = join(outDir, debFileName(opts))
  execFileSync('/usr/bin/dpkg-deb', ['--root-owner-group', ...(opts.compression === 'none' ? ['-Znone'] : ['-z6', '-Zxz']), '--build', root, out], {stdio: ['ignore', 'ignore', 'pipe']})
  rmSync(root, {force: true, recursive: true})
  return out
}
