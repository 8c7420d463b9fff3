// macOS: the Application Firewall (socketfilterfw, readable by any user) and pf. The
// Application Firewall decides per application and never filters outgoing traffic, so its
// default inbound policy is only known when "block all incoming connections" is on. `pfctl -s
// info` needs root (/dev/pf is root-only): without root the pf row is left out rather than
// guessed, and the table still reports the Application Firewall.
import {TOOLS} from '../../os/tools.darwin.js'
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'

/** `--getglobalstate`: "Firewall is enabled. (State = 1)"; 2 blocks all non-essential incoming. */
export function parseGlobalState(text: string): null | number {
  const state = /\(State = (\d)\)/.exec(text)?.[1]
  if (state !== undefined) return Number(state)
  if (/firewall is enabled/i.test(text)) return 1
  if (/firewall is disabled/i.test(text)) return 0
  return null
}

/**
 * `--getblockall`, worded differently across releases: "Block all ENABLED!" / "Block all
 * DISABLED!", "Firewall has block all state set to enabled." / "…disabled.", "Firewall is set to
 * block all non-essential incoming connections".
 */
export function parseBlockAll(text: string): boolean | null {
  if (/block all (state set to )?enabled|set to block all|blocking all non-essential/i.test(text)) return true
  if (/block all (state set to )?disabled/i.test(text)) return false
  return null
}

export function socketFilterRow(globalState: string, blockAll: null | string): Row {
  const state = parseGlobalState(globalState)
  if (state === null) throw new FactError('failed', `socketfilterfw --getglobalstate: unexpected output: ${globalState.trim().slice(0, 120)}`)
  const blocking = state === 2 || (blockAll !== null && parseBlockAll(blockAll) === true)
  return {
    default_inbound: state >= 1 && blocking ? 'block' : null,
    default_outbound: state >= 1 ? 'accept' : null,
    enabled: state >= 1,
    name: 'socketfilterfw',
  }
}

/** `pfctl -s info`: "Status: Enabled for 0 days 01:02:03   Debug: Urgent". */
export function pfRow(info: string): Row {
  const status = /^Status:\s*(Enabled|Disabled)/m.exec(info)?.[1]
  if (!status) throw new FactError('failed', `pfctl -s info: unexpected output: ${info.trim().slice(0, 120)}`)
  return {default_inbound: null, default_outbound: null, enabled: status === 'Enabled', name: 'pf'}
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const admin = await ctx.isAdmin()
  const [global, blockAll, pf] = await Promise.all([
    execOk(ctx.exec, TOOLS.socketfilterfw, ['--getglobalstate'], {timeoutMs: 5000}),
    ctx.exec(TOOLS.socketfilterfw, ['--getblockall'], {timeoutMs: 5000}).then(
      (r) => (r.code === 0 ? r.stdout : null),
      () => null,
    ),
    admin ? execOk(ctx.exec, TOOLS.pfctl, ['-s', 'info'], {timeoutMs: 5000}) : null,
  ])
  const rows = [socketFilterRow(global.stdout, blockAll)]
  if (pf) rows.push(pfRow(pf.stdout))
  return rows
}
