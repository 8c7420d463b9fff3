// The last-resort fallback: set every non-loopback link that was up down, and on restore set it up
// again and re-add the journalled routes that went with it (the kernel drops a down link's routes).
import type {PlannedCommand} from '../types.js'

export interface LinkState {
  name: string
  up: boolean
}

/** Non-loopback links and whether they are administratively up, from `ip -j link`. */
export function parseLinks(json: string): LinkState[] {
  const rows = JSON.parse(json) as {ifname?: string; flags?: string[]; link_type?: string}[]
  return rows
    .filter((row) => row.ifname && row.link_type !== 'loopback' && !(row.flags ?? []).includes('LOOPBACK'))
    .map((row) => ({name: row.ifname as string, up: (row.flags ?? []).includes('UP')}))
}

export const linkDownPlan = (links: LinkState[]): PlannedCommand[] =>
  links.filter((l) => l.up).map((l) => ({args: ['link', 'set', 'dev', l.name, 'down'], file: 'ip', purpose: 'incident.step.linkDown'}))

export const linkUpCommands = (links: LinkState[]): string[][] => links.filter((l) => l.up).map((l) => ['link', 'set', 'dev', l.name, 'up'])

type RouteRow = Record<string, unknown>

const text = (value: unknown): null | string => (typeof value === 'string' || typeof value === 'number' ? String(value) : null)

/** Routes the kernel makes by itself (local/broadcast table entries, subnet routes of an address). */
const kernelMade = (route: RouteRow): boolean =>
  route.protocol === 'kernel' || route.table === 'local' || (route.type !== undefined && route.type !== 'unicast')

const routeKey = (route: RouteRow): string =>
  ['dst', 'gateway', 'dev', 'table', 'metric'].map((k) => text(route[k]) ?? '').join('|')

/** `ip route` arguments that re-add one journalled row (`replace`: harmless if it is back already). */
export function routeArgs(route: RouteRow): string[] {
  const dst = text(route.dst)
  if (!dst) throw new Error('route without dst')
  const v6 = [dst, text(route.gateway) ?? '', text(route.prefsrc) ?? ''].some((v) => v.includes(':'))
  const args = [...(v6 ? ['-6'] : []), 'route', 'replace', dst]
  const add = (keyword: string, value: unknown): void => {
    const v = text(value)
    if (v !== null) args.push(keyword, v)
  }
  add('via', route.gateway)
  add('dev', route.dev)
  add('table', route.table)
  add('metric', route.metric)
  add('proto', route.protocol)
  add('scope', route.scope)
  add('src', route.prefsrc)
  if (Array.isArray(route.flags) && route.flags.includes('onlink')) args.push('onlink')
  return args
}

/** The journalled routes (ours to put back) that `current` lacks. */
export function missingRoutes(saved: RouteRow[], current: RouteRow[]): RouteRow[] {
  const have = new Set(current.map(routeKey))
  return saved.filter((route) => !kernelMade(route) && !have.has(routeKey(route)))
}
