// The collector's addresses, looked up before the cut (afterwards DNS is gone with everything else).
import {lookup as dnsLookup} from 'node:dns/promises'
import {isIP} from 'node:net'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {CollectorEndpoint} from './types.js'

export type Lookup = (host: string) => Promise<string[]>

const systemLookup: Lookup = async (host) => (await dnsLookup(host, {all: true, verbatim: true})).map((a) => a.address)

const DEFAULT_PORTS: Record<string, number> = {'http:': 80, 'https:': 443}

export async function resolveCollector(url: string, options: {timeoutMs?: number; lookup?: Lookup} = {}): Promise<CollectorEndpoint> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError('incident.collectorBadUrl', {url}, EXIT.usage)
  }
  const defaultPort = DEFAULT_PORTS[parsed.protocol]
  if (defaultPort === undefined || !parsed.hostname) throw new UserError('incident.collectorBadUrl', {url}, EXIT.usage)
  const port = parsed.port ? Number(parsed.port) : defaultPort
  // URL keeps an IPv6 literal's brackets in hostname.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  if (isIP(host)) return {addresses: [host], host, port, url}

  const timeoutMs = options.timeoutMs ?? 5000
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    const addresses = await Promise.race([(options.lookup ?? systemLookup)(host), timeout])
    const unique = [...new Set(addresses)].filter((a) => isIP(a) !== 0)
    if (unique.length === 0) throw new Error('no address')
    return {addresses: unique, host, port, url}
  } catch (error) {
    throw new UserError('incident.collectorUnresolved', {error: (error as Error).message, host}, EXIT.unreachable)
  } finally {
    clearTimeout(timer)
  }
}
