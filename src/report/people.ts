// Who the report is about, for the signed copy: the PC's users (desktop sessions judged by
// screen_lock, owners of the account stores) and the custodians of its managed accounts. Names
// only, never a secret; lists and names bounded so a hostile fact cannot swell the report.
import type {FactsSnapshot} from '../facts/types.js'

export interface People {
  pc_users: string[]
  custodians: string[]
}

export const MAX_PEOPLE = 20
export const MAX_NAME_CHARS = 64

function column(facts: FactsSnapshot, table: string, name: string, keep: (row: Record<string, unknown>) => boolean = () => true): string[] {
  const found = facts.tables[table]
  if (!found || 'error' in found) return []
  return found.rows.filter(keep).map((row) => row[name]).filter((v): v is string => typeof v === 'string' && v.trim() !== '')
}

function distinct(names: string[]): string[] {
  const bounded = names.map((n) => [...n.trim()].slice(0, MAX_NAME_CHARS).join(''))
  return [...new Set(bounded)].slice(0, MAX_PEOPLE)
}

export function peopleOf(facts: FactsSnapshot): People {
  // A row standing for a store that could not be read names no custodian.
  const accountRow = (row: Record<string, unknown>): boolean => !row.store_error
  return {
    custodians: distinct(column(facts, 'managed_accounts', 'custodian', accountRow)),
    pc_users: distinct([...column(facts, 'screen_lock', 'user'), ...column(facts, 'managed_accounts', 'user', accountRow)]),
  }
}
