// The Linux distribution: /etc/os-release for everyone, /etc/os-version for 统信UOS's edition and
// build, /etc/kylin-release for 麒麟 systems without a useful os-release; kernel and CPU from uname.
// Linux has no licence-activation notion we can read honestly, so genuine is null.
import {readFile} from 'node:fs/promises'
import {machine, release} from 'node:os'
import {join} from 'node:path'

import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

/** Parses os-release (shell-style KEY=value; double quotes allow \" \\ \$ \` escapes, single quotes none). */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(raw)
    if (!match) continue
    const [, key, rest] = match as unknown as [string, string, string]
    let value = rest.trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1')
    else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1)
    fields.set(key, value)
  }
  return fields
}

/** Parses UOS's /etc/os-version, an INI file with one [Version] group (keys may carry [zh_CN]). */
export function parseIni(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue
    const eq = line.indexOf('=')
    if (eq > 0) fields.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim())
  }
  return fields
}

const ARCH: Record<string, string> = {
  aarch64: 'arm64',
  amd64: 'x64',
  armv7l: 'arm',
  i386: 'ia32',
  i686: 'ia32',
  loongarch64: 'loong64',
  // Loongson 3A3000/4000 run little-endian MIPS; uname says "mips64".
  mips64: 'mips64el',
  sw_64: 'sw64',
  x86_64: 'x64',
}

/** uname -m in the names Node uses (x64, arm64, loong64, mips64el…). */
export function normaliseArch(unameMachine: string): string {
  return ARCH[unameMachine] ?? unameMachine
}

/** The family a policy reasons about: the 信创 systems by name, else the package lineage. */
export function osFamily(osRelease: Map<string, string>, osVersion?: Map<string, string>): string {
  const id = (osRelease.get('ID') ?? '').toLowerCase()
  const like = (osRelease.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/)
  const system = osVersion?.get('SystemName') ?? ''
  if (id === 'uos' || id === 'uniontech' || /uos|uniontech/i.test(system)) return 'uos'
  if (id === 'kylin' || id === 'neokylin') return id
  if (id === 'debian' || like.includes('debian') || like.includes('ubuntu')) return 'debian'
  if (['rhel', 'centos', 'fedora'].includes(id) || like.some((l) => ['rhel', 'fedora', 'centos'].includes(l))) return 'rhel'
  return id || 'linux'
}

export interface OsSources {
  osRelease: null | string
  osVersion: null | string
  kylinRelease: null | string
  machine: string
  kernel: string
}

export function osVersionRow(src: OsSources): Row {
  const rel = parseOsRelease(src.osRelease ?? '')
  const uos = src.osVersion ? parseIni(src.osVersion) : undefined
  const kylinRelease = src.kylinRelease?.trim().split('\n')[0]?.trim() || null
  const family = rel.get('ID') || !kylinRelease ? osFamily(rel, uos) : 'kylin'
  let name = rel.get('PRETTY_NAME') || [rel.get('NAME'), rel.get('VERSION')].filter(Boolean).join(' ') || kylinRelease
  let version = rel.get('VERSION_ID') || rel.get('VERSION') || null
  let build: null | string = src.kernel
  if (family === 'uos' && uos?.get('SystemName')) {
    // "UOS Desktop 20 Professional", version "20.1060" (MinorVersion is the release people quote), build OsBuild.
    name = [uos.get('SystemName'), uos.get('MajorVersion'), uos.get('EditionName')].filter(Boolean).join(' ')
    const major = uos.get('MajorVersion') ?? version
    const minor = uos.get('MinorVersion')
    version = minor ? `${major}.${minor}` : (major ?? null)
    build = uos.get('OsBuild') || build
  } else if (family === 'kylin' || family === 'neokylin') {
    // Desktop V10: VERSION_US "Kylin Linux Desktop V10 (SP1)"; server: "V10 (Lance)" / kylin-release.
    name = rel.get('VERSION_US') || rel.get('PRETTY_NAME') || kylinRelease || name
    const v = /V\d+[^"]*$/i.exec(rel.get('VERSION_US') || rel.get('VERSION') || kylinRelease || '')
    version = v ? v[0].trim() : version
    build = rel.get('KYLIN_RELEASE_ID') || build
  }
  if (!name) throw new FactError('failed', 'no /etc/os-release (nor /usr/lib/os-release, /etc/kylin-release): cannot name the system')
  return {
    activation_channel: null,
    arch: normaliseArch(src.machine),
    build,
    family,
    genuine: null,
    kernel: src.kernel,
    kms_host: null,
    license_status: null,
    name,
    platform: 'linux',
    version,
  }
}

async function readOptional(path: string): Promise<null | string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

export async function collect(_ctx: CollectContext, root = '/'): Promise<Row[]> {
  const [etc, lib, osVersion, kylinRelease] = await Promise.all([
    readOptional(join(root, 'etc', 'os-release')),
    readOptional(join(root, 'usr', 'lib', 'os-release')),
    readOptional(join(root, 'etc', 'os-version')),
    readOptional(join(root, 'etc', 'kylin-release')),
  ])
  return [osVersionRow({kernel: release(), kylinRelease, machine: machine(), osRelease: etc ?? lib, osVersion})]
}
