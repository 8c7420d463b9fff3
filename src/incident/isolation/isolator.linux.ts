// Linux isolation: nftables tables `inet nm_guard` and `bridge nm_guard`, else an iptables NM_GUARD
// chain with the bridge ports taken down, else link-down.
// restore() removes exactly what we added, then reloads the journalled nft ruleset if it still
// differs, so a before/after diff is empty; every step is safe to repeat and to run after a crash.
import {readFile, rm, mkdir} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../../os/atomic-write.js'
import {t} from '../../i18n/messages.js'
import type {CollectorEndpoint, IsolationMethod, IsolationPlan, Isolator, IsolatorOptions, Journal, SavedNetworkState} from '../types.js'
import {BRIDGE_PORTS_ARGS, bridgeCheck, bridgePortsDownPlan, parseBridgePorts} from './bridge-ports.js'
import {countJumps, hasChain, IPT_CHAIN, type IpFamily, iptablesPlan, iptablesTool, normalizeIptablesSave} from './iptables-rules.js'
import {type LinkState, linkDownPlan, linkUpCommands, missingRoutes, parseLinks, routeArgs} from './link-down.js'
import {NFT_BRIDGE_FAMILY, NFT_FAMILY, NFT_TABLE, nftIsolationScript, nftRemoveScript, nftRestoreScript, normalizeNftRuleset} from './nftables-script.js'
import {errorText, execOk, isMissingTool, runIfPresent} from './run-tool.js'
import {parseRoutes, snapshotLinux} from './snapshot.linux.js'

/** Written before any link goes down, so isIsolated()/restore() know which links are ours to raise. */
export const LINKS_MARKER = 'links-down.json'

/** Every method failed: `reasons` per method (English, for logs), `warnings` as translated for the user. */
export class IsolationFailed extends Error {
  constructor(
    public readonly reasons: string[],
    public readonly warnings: string[] = [],
  ) {
    super(reasons.join('; '))
    this.name = 'IsolationFailed'
  }
}

/** Some restore step failed (the others still ran); the journal should stay for another try. */
export class RestoreFailed extends Error {
  constructor(public readonly reasons: string[]) {
    super(reasons.join('; '))
    this.name = 'RestoreFailed'
  }
}

export function linuxPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  if (saved.nft_ruleset !== null) {
    return {commands: [{args: ['-f', '-'], file: 'nft', input: nftIsolationScript(keep), purpose: 'incident.step.nftablesBridge'}], method: 'nftables', platform: 'linux'}
  }
  if (saved.iptables_save !== null) {
    const commands = [iptablesPlan(4, keep), ...(saved.ip6tables_save === null ? [] : [iptablesPlan(6, keep)]), ...bridgePortsDownPlan(saved.bridge_ports ?? [])]
    return {commands, method: 'iptables', platform: 'linux'}
  }
  return {commands: linkDownPlan(saved.links), method: 'link-down', platform: 'linux'}
}

export function linuxIsolator(options: IsolatorOptions): Isolator {
  const {exec, journalDir} = options
  const lang = options.lang ?? 'en'
  const marker = join(journalDir, LINKS_MARKER)

  const nftIsolate = async (keep: CollectorEndpoint | null): Promise<void> => {
    await execOk(exec, 'nft', ['-f', '-'], {input: nftIsolationScript(keep)})
    // Trust, but verify: the tables must now be listed.
    await execOk(exec, 'nft', ['list', 'table', NFT_FAMILY, NFT_TABLE])
    await execOk(exec, 'nft', ['list', 'table', NFT_BRIDGE_FAMILY, NFT_TABLE])
  }

  const iptablesRemove = async (family: IpFamily): Promise<void> => {
    const tool = iptablesTool(family)
    const listing = await runIfPresent(exec, tool, ['-w', '-S'])
    if (!listing || listing.code !== 0) return
    for (const [hook, count] of Object.entries(countJumps(listing.stdout))) {
      for (let i = 0; i < count; i++) await execOk(exec, tool, ['-w', '-D', hook, '-j', IPT_CHAIN])
    }
    if (hasChain(listing.stdout)) {
      await execOk(exec, tool, ['-w', '-F', IPT_CHAIN])
      await execOk(exec, tool, ['-w', '-X', IPT_CHAIN])
    }
  }

  const iptablesIsolate = async (saved: SavedNetworkState, keep: CollectorEndpoint | null, warnings: string[]): Promise<void> => {
    // A re-run must not stack a second set of jumps.
    await iptablesRemove(4)
    const v4 = iptablesPlan(4, keep)
    await execOk(exec, v4.file, v4.args, {input: v4.input})
    try {
      await iptablesRemove(6)
      const v6 = iptablesPlan(6, keep)
      await execOk(exec, v6.file, v6.args, {input: v6.input})
    } catch (error) {
      // No ip6tables at all means no IPv6 firewall to use (and usually no IPv6): say so, keep IPv4's cut.
      if (!isMissingTool(error)) {
        await iptablesRemove(4).catch(() => {})
        throw error
      }
      warnings.push(t(lang, 'incident.isolation.noIpv6Cut', {reason: errorText(error)}))
    }
    await bridgePortsDown(saved, warnings)
  }

  /** iptables never sees what a bridge forwards: its ports go down, journalled in the marker first so reconnect raises them. */
  const bridgePortsDown = async (saved: SavedNetworkState, warnings: string[]): Promise<void> => {
    const steps = bridgePortsDownPlan(saved.bridge_ports ?? [])
    if (steps.length === 0) return
    const ports = (saved.bridge_ports ?? []).filter((p) => p.up)
    await mkdir(journalDir, {mode: 0o700, recursive: true})
    await writeFileAtomic(marker, `${JSON.stringify(ports.map((p) => ({name: p.name, up: true})))}\n`, 0o600)
    for (const step of steps) await execOk(exec, step.file, step.args)
    warnings.push(t(lang, 'incident.isolation.bridgePortsDown', {ports: ports.map((p) => `${p.name} (${p.bridge})`).join(', ')}))
  }

  const linkDown = async (saved: SavedNetworkState): Promise<void> => {
    const up = saved.links.filter((l) => l.up)
    if (up.length === 0) throw new Error('no non-loopback link is up')
    await mkdir(journalDir, {mode: 0o700, recursive: true})
    await writeFileAtomic(marker, `${JSON.stringify(up)}\n`, 0o600)
    const failures: string[] = []
    for (const step of linkDownPlan(up)) {
      try {
        await execOk(exec, step.file, step.args)
      } catch (error) {
        failures.push(errorText(error))
      }
    }
    if (failures.length === up.length) throw new Error(failures.join('; '))
    if (failures.length > 0) throw new Error(`some links stayed up: ${failures.join('; ')}`)
  }

  const readMarker = async (): Promise<LinkState[] | null> => {
    try {
      return JSON.parse(await readFile(marker, 'utf8')) as LinkState[]
    } catch {
      return null
    }
  }

  /** Each link's name → whether it is up now. */
  const linksUpNow = async (): Promise<Map<string, boolean>> => new Map(parseLinks((await execOk(exec, 'ip', ['-j', 'link'])).stdout).map((l) => [l.name, l.up]))

  return {
    platform: 'linux',
    snapshot: () => snapshotLinux(exec),
    plan: linuxPlan,

    async isolate(saved, keep) {
      const warnings: string[] = []
      const methods: [IsolationMethod, () => Promise<void>][] = [
        ['nftables', () => nftIsolate(keep)],
        ['iptables', () => iptablesIsolate(saved, keep, warnings)],
        ['link-down', () => linkDown(saved)],
      ]
      const reasons: string[] = []
      for (const [index, [method, attempt]] of methods.entries()) {
        try {
          await attempt()
          return {method, warnings}
        } catch (error) {
          const next = methods[index + 1]?.[0]
          reasons.push(`${method}: ${errorText(error)}`)
          warnings.push(
            next
              ? t(lang, 'incident.isolation.fallback', {method, next, reason: errorText(error)})
              : t(lang, 'incident.isolation.lastFailed', {method, reason: errorText(error)}),
          )
        }
      }
      throw new IsolationFailed(reasons, warnings)
    },

    async restore(journal: Journal) {
      const saved = journal.saved
      const failures: string[] = []
      const step = async (what: string, fn: () => Promise<void>): Promise<void> => {
        try {
          await fn()
        } catch (error) {
          if (!isMissingTool(error)) failures.push(`${what}: ${errorText(error)}`)
        }
      }
      // 1. What we added: our table, our chains, our downed links (each a no-op if absent).
      await step('nftables', async () => {
        await execOk(exec, 'nft', ['-f', '-'], {input: nftRemoveScript()})
      })
      await step('iptables', () => iptablesRemove(4))
      await step('ip6tables', () => iptablesRemove(6))
      await step('links', async () => {
        const downed = (await readMarker()) ?? []
        if (journal.method !== 'link-down' && downed.length === 0) return
        const now = await linksUpNow()
        const raise = saved.links.filter((l) => l.up && now.get(l.name) === false)
        for (const args of linkUpCommands(raise)) await execOk(exec, 'ip', args)
        const current = parseRoutes((await execOk(exec, 'ip', ['-j', 'route', 'show', 'table', 'all'])).stdout)
        for (const route of missingRoutes(saved.routes, current)) await execOk(exec, 'ip', routeArgs(route))
      })
      // 2. Anything else that differs from the journal: load the journalled ruleset exactly.
      if (saved.nft_ruleset !== null) {
        await step('nftables ruleset', async () => {
          const before = saved.nft_ruleset as string
          const now = (await execOk(exec, 'nft', ['list', 'ruleset'])).stdout
          if (normalizeNftRuleset(now) === normalizeNftRuleset(before)) return
          await execOk(exec, 'nft', ['-f', '-'], {input: nftRestoreScript(before)})
          const after = (await execOk(exec, 'nft', ['list', 'ruleset'])).stdout
          if (normalizeNftRuleset(after) !== normalizeNftRuleset(before)) throw new Error('the ruleset still differs from the journalled one')
        })
      }
      for (const [family, text] of [[4, saved.iptables_save], [6, saved.ip6tables_save]] as const) {
        if (text === null) continue
        await step(`${iptablesTool(family)} ruleset`, async () => {
          const now = (await execOk(exec, `${iptablesTool(family)}-save`, [])).stdout
          if (normalizeIptablesSave(now) === normalizeIptablesSave(text)) return
          if (text.trim() === '') return // nothing journalled to load; our chain is already gone
          await execOk(exec, `${iptablesTool(family)}-restore`, ['-w'], {input: text})
        })
      }
      if (failures.length > 0) throw new RestoreFailed(failures)
      await rm(marker, {force: true})
    },

    async verifyBridges() {
      let ports: ReturnType<typeof parseBridgePorts>
      try {
        ports = parseBridgePorts((await execOk(exec, 'ip', BRIDGE_PORTS_ARGS)).stdout)
      } catch {
        // Verification never throws after the cut, and never claims what it could not read.
        return {bridges: [], state: 'unproven' as const}
      }
      const chain = ports.length === 0 ? null : await runIfPresent(exec, 'nft', ['list', 'chain', NFT_BRIDGE_FAMILY, NFT_TABLE, 'forward'])
      // Our forward chain as loaded: a drop policy and no rule that could accept a frame.
      const drops = chain?.code === 0 && /policy drop;\s*\}/.test(chain.stdout)
      return bridgeCheck(ports, drops)
    },

    async isIsolated() {
      const table = await runIfPresent(exec, 'nft', ['list', 'table', NFT_FAMILY, NFT_TABLE])
      if (table?.code === 0) return true
      for (const family of [4, 6] as const) {
        const chain = await runIfPresent(exec, iptablesTool(family), ['-w', '-S', IPT_CHAIN])
        if (chain?.code === 0) return true
      }
      const downed = await readMarker()
      if (!downed || downed.length === 0) return false
      const now = await linksUpNow()
      return downed.some((l) => now.get(l.name) === false)
    },

    async ruleset() {
      const nft = await runIfPresent(exec, 'nft', ['list', 'ruleset'])
      if (nft?.code === 0) return nft.stdout
      if (nft) return (await execOk(exec, 'nft', ['list', 'ruleset'])).stdout // throws, quoting nft's error
      return (await execOk(exec, 'iptables-save', [])).stdout
    },
  }
}
