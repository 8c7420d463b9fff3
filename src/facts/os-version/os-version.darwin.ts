// macOS: `sw_vers` for product, version and build; `uname -m` for the architecture (corrected
// for Rosetta, where an x64 Node sees x86_64 on Apple silicon). macOS has no licence activation.
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

const CODENAMES: Record<string, string> = {
  '10.13': 'High Sierra',
  '10.14': 'Mojave',
  '10.15': 'Catalina',
  '11': 'Big Sur',
  '12': 'Monterey',
  '13': 'Ventura',
  '14': 'Sonoma',
  '15': 'Sequoia',
  '26': 'Tahoe',
}

export interface SwVers {
  productName: string
  productVersion: string
  buildVersion: null | string
  /** Rapid Security Response suffix, e.g. "(a)". */
  versionExtra: null | string
}

export function parseSwVers(text: string): SwVers {
  const field = (key: string): null | string => new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1] ?? null
  const productVersion = field('ProductVersion')
  if (!productVersion) throw new FactError('failed', 'sw_vers printed no ProductVersion')
  return {
    buildVersion: field('BuildVersion'),
    productName: field('ProductName') ?? 'macOS',
    productVersion,
    versionExtra: field('ProductVersionExtra'),
  }
}

/** uname -m spelled the way Node spells process.arch. */
export function normaliseArch(machine: string, translated: boolean): string {
  const m = machine.trim()
  if (translated || m === 'arm64') return 'arm64'
  if (m === 'x86_64') return 'x64'
  return m
}

export function osVersionRow(sw: SwVers, arch: string): Row {
  const [major = '', minor = ''] = sw.productVersion.split('.')
  const codename = CODENAMES[major === '10' ? `10.${minor}` : major]
  return {
    activation_channel: null,
    arch,
    build: sw.buildVersion,
    family: 'macos',
    genuine: null,
    name: codename ? `${sw.productName} ${codename}` : `${sw.productName} ${major}`,
    platform: 'darwin',
    version: sw.productVersion,
    // Kept apart from version so version comparisons keep working.
    version_extra: sw.versionExtra,
  }
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [sw, uname, rosetta] = await Promise.all([
    execOk(ctx.exec, TOOLS.swVers, [], {timeoutMs: 5000}),
    execOk(ctx.exec, TOOLS.uname, ['-m'], {timeoutMs: 5000}),
    // -i: no error on Intel Macs, which lack the key.
    ctx.exec(TOOLS.sysctl, ['-in', 'sysctl.proc_translated'], {timeoutMs: 5000}).catch(() => null),
  ])
  const translated = rosetta?.code === 0 && rosetta.stdout.trim() === '1'
  return [osVersionRow(parseSwVers(sw.stdout), normaliseArch(uname.stdout, translated))]
}
