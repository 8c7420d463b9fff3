// Running netsh (or another Windows console tool) for the cut and for `incident status`: its output
// decoded from the console code page (CP936 on Chinese Windows), and the adapter table read back.
import type {Exec} from '../../facts/types.js'
import {decodeText} from '../../os/decode-text.js'
import {type NetshInterfaceRow, parseInterfaceTable} from './windows-firewall.js'

export async function runConsoleTool(exec: Exec, args: string[], tool = 'netsh', timeoutMs = 30_000): Promise<{code: null | number; text: string}> {
  const result = await exec(tool, args, {timeoutMs})
  return {code: result.code, text: decodeText(result.raw)}
}

/**
 * Every adapter row netsh shows now; null when netsh cannot tell. An empty table counts as
 * "cannot tell" (Wine's netsh prints nothing and exits 0; a PC always has an adapter).
 */
export async function interfacesNow(exec: Exec, timeoutMs?: number): Promise<NetshInterfaceRow[] | null> {
  try {
    const shown = await runConsoleTool(exec, ['interface', 'show', 'interface'], 'netsh', timeoutMs)
    const rows = shown.code === 0 ? parseInterfaceTable(shown.text) : []
    return rows.length > 0 ? rows : null
  } catch {
    return null
  }
}
