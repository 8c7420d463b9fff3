// Is the cut in effect? TCP connects to the default gateway and the collector: an accepted or a
// refused connection both mean packets passed; a firewall drop shows as EPERM/EACCES (local
// netfilter), an unreachable route, or silence until the timeout.
import {connect} from 'node:net'

import {requireIdentity} from '../agent/identity.js'
import {agentPaths} from '../agent/paths.js'
import {handshakes} from '../agent/uploader.js'
import {stateDir} from '../config/state-dir.js'
import type {BridgeCheck, CollectorEndpoint, LocalCheck} from './types.js'

/** unproven: not probed, because a probe then could not tell a cut from a link still coming up. */
export type Reachability = 'blocked' | 'none' | 'reachable' | 'unproven'

export interface CutVerification {
  gateway: Reachability
  collector: Reachability
  /** Windows: what the PC showed of its adapters before (or instead of) probing. */
  local?: LocalCheck
  /** Linux and macOS, when the PC has bridges: whether they could still forward a VM's or container's frames. */
  bridged?: BridgeCheck
}

/** Gateways usually answer (or refuse) on one of these: DNS, a web admin page. */
export const GATEWAY_PORTS = [53, 80, 443]
export const DEFAULT_PROBE_TIMEOUT_MS = 300

/** What a connect's error code says about the path: refused/reset = the peer answered. */
export function classifyConnectError(code: string | undefined): 'blocked' | 'reachable' {
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' ? 'reachable' : 'blocked'
}

/** How one TCP connect ended: a completed handshake, a refusal (RST), or nothing that got through. */
export function connectOutcome(host: string, port: number, timeoutMs: number): Promise<'blocked' | 'connected' | 'refused'> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    const done = (result: 'blocked' | 'connected' | 'refused'): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done('blocked'), timeoutMs)
    socket.once('connect', () => done('connected'))
    socket.once('error', (error: NodeJS.ErrnoException) => done(classifyConnectError(error.code) === 'reachable' ? 'refused' : 'blocked'))
  })
}

export async function probeTcp(host: string, port: number, timeoutMs: number): Promise<'blocked' | 'reachable'> {
  return (await connectOutcome(host, port, timeoutMs)) === 'blocked' ? 'blocked' : 'reachable'
}

/** The TLS handshake gets more than a bare connect: two round trips plus the certificate checks. */
export const KEEP_HANDSHAKE_MIN_MS = 2000

/**
 * Whether the kept collector still answers the way uploads reach it (#11 2.3): a TLS handshake to
 * the addresses resolved before the cut, with the collector's name for SNI and the certificate
 * check, the pinned CA and the agent's certificate. A bare TCP connect would count a port that
 * answers while the notice still cannot be delivered; a refusal proves only that the opening works.
 */
export async function collectorAnswers(keep: CollectorEndpoint, timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS, root: string = stateDir()): Promise<boolean> {
  const identity = await requireIdentity(agentPaths(root)).catch(() => null)
  // Without the agent's identity no upload can go either.
  if (!identity) return false
  return handshakes({...identity, url: keep.url}, keep.addresses, Math.max(timeoutMs, KEEP_HANDSHAKE_MIN_MS))
}

async function anyReachable(targets: [string, number][], timeoutMs: number): Promise<Reachability> {
  if (targets.length === 0) return 'none'
  const results = await Promise.all(targets.map(([host, port]) => probeTcp(host, port, timeoutMs)))
  return results.includes('reachable') ? 'reachable' : 'blocked'
}

export async function verifyCut(options: {gateway: null | string; keep: CollectorEndpoint | null; timeoutMs?: number; gatewayPorts?: number[]}): Promise<CutVerification> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  const gatewayTargets: [string, number][] = options.gateway ? (options.gatewayPorts ?? GATEWAY_PORTS).map((p) => [options.gateway as string, p]) : []
  const collectorTargets: [string, number][] = options.keep ? options.keep.addresses.map((a) => [a, (options.keep as CollectorEndpoint).port]) : []
  const [gateway, collector] = await Promise.all([anyReachable(gatewayTargets, timeoutMs), anyReachable(collectorTargets, timeoutMs)])
  return {collector, gateway}
}

/** The main table's IPv4 default gateway (else IPv6) from `ip -j route` rows; null when there is none. */
export function defaultGateway(routes: Record<string, unknown>[]): null | string {
  const defaults = routes.filter(
    (r) => r.dst === 'default' && typeof r.gateway === 'string' && (r.table === undefined || r.table === 'main') && (r.type === undefined || r.type === 'unicast'),
  )
  const byMetric = (a: Record<string, unknown>, b: Record<string, unknown>): number => Number(a.metric ?? 0) - Number(b.metric ?? 0)
  const v4 = defaults.filter((r) => !(r.gateway as string).includes(':')).sort(byMetric)
  const v6 = defaults.filter((r) => (r.gateway as string).includes(':')).sort(byMetric)
  const best = v4[0] ?? v6[0]
  if (!best) return null
  const gateway = best.gateway as string
  // A link-local IPv6 gateway is only reachable with its interface as the zone.
  return /^fe80:/i.test(gateway) && typeof best.dev === 'string' ? `${gateway}%${best.dev}` : gateway
}
