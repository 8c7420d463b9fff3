// Runs a table's PowerShell fragment in the shared batch, with the error kinds collectors promise:
// "access denied" names the administrator requirement; fragments shared by several tables (the
// process list, the adapter list) run once per gathering.
import {FactError, needsAdmin} from '../../os/fact-error.js'
import {perContext} from '../per-context.js'
import type {CollectContext} from '../types.js'

/** PS snippet: $nmgElevated is true when this PowerShell runs with an elevated administrator token. */
export const ELEVATED_PS =
  '$nmgElevated = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)'

export async function runFragment(ctx: CollectContext, name: string, script: string, what = name): Promise<unknown[]> {
  try {
    return await ctx.powershell(name, script)
  } catch (error) {
    if (error instanceof FactError && error.kind === 'permission') throw needsAdmin(`${what} (${error.message})`)
    throw error
  }
}

/** The same fragment asked for by several tables of one gathering runs once. */
export function sharedFragment(ctx: CollectContext, name: string, script: string): Promise<unknown[]> {
  return perContext(ctx, `win32-fragment:${name}`, () => runFragment(ctx, name, script))
}

/** Single-quoted PowerShell string literal. */
export const psQuote = (value: string): string => `'${value.replaceAll("'", "''")}'`
