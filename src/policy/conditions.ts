// Conditions are judged in three-valued (Kleene) logic: a comparison against an unknown (null)
// cell is `unknown`, so a check whose answer hangs on missing data reports `error`, never `pass`.
import {BlockList, isIP} from 'node:net'

import type {Cell, Row} from '../facts/types.js'
import {compilePattern} from './regex.js'
import type {Condition, Policy} from './types.js'
import {resolveVar} from './variables.js'

export type Truth = boolean | 'unknown'

export const and = (values: Truth[]): Truth => (values.includes(false) ? false : values.includes('unknown') ? 'unknown' : true)
export const or = (values: Truth[]): Truth => (values.includes(true) ? true : values.includes('unknown') ? 'unknown' : false)
export const not = (value: Truth): Truth => (value === 'unknown' ? value : !value)

export function judge(cond: Condition, row: Row, policy: Policy): Truth {
  if ('all' in cond) return and(cond.all.map((c) => judge(c, row, policy)))
  if ('any' in cond) return or(cond.any.map((c) => judge(c, row, policy)))
  if ('not' in cond) return not(judge(cond.not, row, policy))
  const [op, raw] = Object.entries(cond).find(([key]) => key !== 'column') as [string, unknown]
  const operand = resolveVar(policy, raw)
  const cell: Cell | undefined = row[cond.column]
  if (op === 'exists') return (cell !== null && cell !== undefined) === operand
  if (cell === null || cell === undefined) return 'unknown'
  switch (op) {
    case 'ne':
      return not(compare('eq', cell, operand))
    case 'not_in':
      return not(compare('in', cell, operand))
    case 'not_matches':
      return not(compare('matches', cell, operand))
    default:
      return compare(op, cell, operand)
  }
}

/** A positive comparison; for a list cell (addresses) true when any element satisfies it. */
function compare(op: string, cell: Cell, operand: unknown): Truth {
  if (Array.isArray(cell)) return or(cell.map((element) => compare(op, element, operand)))
  switch (op) {
    case 'eq':
      return same(cell, operand)
    case 'in':
      return (operand as unknown[]).some((item) => same(cell, item))
    case 'matches': {
      const patterns = Array.isArray(operand) ? (operand as string[]) : [String(operand)]
      return patterns.some((pattern) => compilePattern(pattern).test(String(cell)))
    }
    case 'contains':
      return String(cell).toLowerCase().includes(String(operand).toLowerCase())
    case 'in_cidr':
      return inCidr(String(cell), operand as string[])
    default:
      return order(op, cell, operand)
  }
}

/** Equality: strings case-insensitively ("ToDesk" = "todesk"), everything else strictly. */
function same(cell: Cell, operand: unknown): boolean {
  if (typeof cell === 'string' && typeof operand === 'string') return cell.toLowerCase() === operand.toLowerCase()
  return cell === operand
}

function order(op: string, cell: Cell, operand: unknown): Truth {
  const value = typeof cell === 'number' ? cell : Number(cell)
  if (Number.isNaN(value) || typeof operand !== 'number') return 'unknown'
  if (op === 'lt') return value < operand
  if (op === 'lte') return value <= operand
  if (op === 'gt') return value > operand
  return value >= operand
}

/** "192.168.1.5/24" or "192.168.1.5" inside any of the CIDRs. */
function inCidr(address: string, cidrs: string[]): boolean {
  const host = address.split('/')[0] ?? ''
  const family = isIP(host)
  if (family === 0) return false
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [net, prefix] = cidr.split('/')
    const netFamily = isIP(net ?? '')
    if (netFamily === 0) continue
    const type = netFamily === 4 ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(net as string, type)
    else list.addSubnet(net as string, Number(prefix), type)
  }
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6')
}
