// Host firewalls on Linux. The kernel's rules are the truth: nftables (`nft -j list ruleset`) and
// iptables (`iptables -S`, legacy or nft-backed). ufw and firewalld are front-ends over them: ufw is
// read from its configuration files, firewalld from its running daemon and default zone, so neither
// needs root nor a slow Python start-up.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {FactError, missingTool, needsAdmin} from '../../os/fact-error.js'
import {listProcesses} from '../linux/proc-processes.js'
import type {CollectContext, ExecResult, Row} from '../types.js'

type Policy = 'accept' | 'drop' | 'reject'

interface NftChain {
  family?: string
  table?: string
  name?: string
  hook?: string
  type?: string
  policy?: string
}

interface NftRule {
  family?: string
  table?: string
  chain?: string
}

export interface NftSummary {
  row: Row
  /** Chain names (ufw-*, DOCKER…), so front-ends can tell whether their rules are loaded. */
  chains: string[]
}

const FAMILIES = new Set(['inet', 'ip', 'ip6'])

/**
 * Parses `nft -j list ruleset`. A packet passes every base chain on a hook, so the inbound default
 * is drop when any input base chain drops by policy; the firewall filters when an input base chain
 * drops by policy or holds rules.
 */
export function parseNftRuleset(json: string): NftSummary {
  let items: Array<Record<string, unknown>> = []
  try {
    items = ((JSON.parse(json) as {nftables?: Array<Record<string, unknown>>}).nftables ?? [])
  } catch {
    throw new FactError('failed', 'nft -j list ruleset did not print JSON')
  }
  const chains = items.map((i) => i.chain as NftChain | undefined).filter((c): c is NftChain => !!c && FAMILIES.has(c.family ?? ''))
  const rules = items.map((i) => i.rule as NftRule | undefined).filter((r): r is NftRule => !!r)
  const key = (c: {family?: string; table?: string; name?: string; chain?: string}): string => `${c.family}/${c.table}/${c.name ?? c.chain}`
  const ruleCount = new Map<string, number>()
  for (const r of rules) ruleCount.set(key(r), (ruleCount.get(key(r)) ?? 0) + 1)
  const base = (hook: string): NftChain[] => chains.filter((c) => c.hook === hook && (c.type ?? 'filter') === 'filter')
  const verdict = (hookChains: NftChain[]): null | Policy => {
    if (hookChains.length === 0) return null
    return hookChains.some((c) => c.policy === 'drop') ? 'drop' : 'accept'
  }
  const input = base('input')
  return {
    chains: chains.map((c) => c.name ?? '').filter(Boolean),
    row: {
      default_inbound: verdict(input) ?? 'accept',
      default_outbound: verdict(base('output')) ?? 'accept',
      enabled: input.some((c) => c.policy === 'drop' || (ruleCount.get(key(c)) ?? 0) > 0),
      name: 'nftables',
    },
  }
}

/**
 * Parses `iptables -S` (filter table): "-P INPUT DROP" policies and "-A INPUT …" rules. Filtering
 * when INPUT drops by policy or has rules of its own.
 */
export function parseIptablesRules(text: string): NftSummary {
  const policies = new Map<string, string>()
  const chains: string[] = []
  let inputRules = 0
  for (const line of text.split('\n')) {
    const [flag, chain, value] = line.trim().split(/\s+/)
    if (flag === '-P' && chain && value) policies.set(chain, value.toLowerCase())
    else if (flag === '-N' && chain) chains.push(chain)
    else if (flag === '-A' && chain === 'INPUT') inputRules++
  }
  const policy = (chain: string): null | string => policies.get(chain) ?? null
  return {
    chains,
    row: {
      default_inbound: policy('INPUT'),
      default_outbound: policy('OUTPUT'),
      enabled: policy('INPUT') === 'drop' || inputRules > 0,
      name: 'iptables',
    },
  }
}

/** Reads shell-style KEY=value files (/etc/ufw/ufw.conf, /etc/default/ufw, firewalld.conf). */
export function parseKeyValues(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (m) fields.set(m[1] as string, (m[2] as string).replace(/^(["'])(.*)\1$/, '$2'))
  }
  return fields
}

/**
 * ufw: ENABLED=yes in ufw.conf turns it on at boot; the default policies live in /etc/default/ufw.
 * When the kernel's chains could be read, ufw counts as enabled only if its chains are loaded.
 */
export function ufwRow(ufwConf: string, defaults: null | string, kernelChains: null | string[]): Row {
  const conf = parseKeyValues(ufwConf)
  const def = parseKeyValues(defaults ?? '')
  const configured = conf.get('ENABLED')?.toLowerCase() === 'yes'
  const loaded = kernelChains === null ? configured : kernelChains.some((c) => c.startsWith('ufw-') || c.startsWith('ufw6-'))
  const policy = (value: string | undefined): null | string => (value ? value.toLowerCase() : null)
  return {
    default_inbound: policy(def.get('DEFAULT_INPUT_POLICY')),
    default_outbound: policy(def.get('DEFAULT_OUTPUT_POLICY')),
    enabled: configured && loaded,
    name: 'ufw',
  }
}

/** firewalld zone XML: <zone target="DROP|REJECT|ACCEPT|default">; "default" rejects what no rule allows. */
export function firewalldZoneTarget(xml: null | string): null | string {
  if (xml === null) return null
  const target = /<zone\b[^>]*\btarget="([^"]+)"/.exec(xml)?.[1]
  if (!target || target === 'default' || target === '%%REJECT%%') return 'reject'
  return target.toLowerCase()
}

async function readOptional(path: string): Promise<null | string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

const PERMISSION = /operation not permitted|permission denied|must be root/i

async function runKernelTool(ctx: CollectContext, file: string, args: string[]): Promise<ExecResult | 'denied' | null> {
  let result: ExecResult
  try {
    result = await ctx.exec(file, args, {env: {LC_ALL: 'C'}, timeoutMs: 5000})
  } catch (error) {
    if (error instanceof FactError && error.kind === 'missing_tool') return null
    throw error
  }
  if (result.code === 0) return result
  if (PERMISSION.test(result.stderr + result.stdout)) return 'denied'
  throw new FactError('failed', `${[file, ...args].join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n')[0]?.slice(0, 200) ?? ''}`)
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const [nft, iptables, ufwConf, ufwDefaults, firewalldConf, processes] = await Promise.all([
    runKernelTool(ctx, 'nft', ['-j', 'list', 'ruleset']),
    runKernelTool(ctx, 'iptables', ['-S']),
    readOptional(join(root, 'etc', 'ufw', 'ufw.conf')),
    readOptional(join(root, 'etc', 'default', 'ufw')),
    readOptional(join(root, 'etc', 'firewalld', 'firewalld.conf')),
    listProcesses(ctx, root),
  ])
  const rows: Row[] = []
  let kernelChains: null | string[] = null
  const denied: string[] = []
  for (const [tool, result, parse] of [
    ['nft list ruleset', nft, parseNftRuleset],
    ['iptables -S', iptables, parseIptablesRules],
  ] as const) {
    if (result === 'denied') denied.push(tool)
    else if (result) {
      const summary = parse(result.stdout)
      rows.push(summary.row)
      kernelChains = [...(kernelChains ?? []), ...summary.chains]
    }
  }
  if (ufwConf !== null) rows.push(ufwRow(ufwConf, ufwDefaults, kernelChains))
  if (firewalldConf !== null) {
    const zone = parseKeyValues(firewalldConf).get('DefaultZone') || 'public'
    const zoneXml = (await readOptional(join(root, 'etc', 'firewalld', 'zones', `${zone}.xml`))) ?? (await readOptional(join(root, 'usr', 'lib', 'firewalld', 'zones', `${zone}.xml`)))
    const running = processes.some((p) => p.name === 'firewalld' || p.comm === 'firewalld')
    // firewalld filters inbound by zone; outbound stays open unless direct rules or policies say otherwise.
    rows.push({default_inbound: firewalldZoneTarget(zoneXml), default_outbound: 'accept', enabled: running, name: 'firewalld'})
  }
  // Without root the kernel's rule set is hidden: the front-ends' files alone would be half the story.
  if (denied.length > 0 && rows.every((r) => r.enabled !== true)) throw needsAdmin(denied.join(', '))
  if (rows.length === 0 && denied.length === 0) throw missingTool('nft', 'nftables')
  return rows
}
