// The PC's asset number on the signed report: `audit --asset`, else ASSET_NUMBER in agent.conf
// (the per-PC settings file the packages leave). Bounded and printable: it is printed and sent.
import {agentConfPath, parseAgentConf} from '../agent/install/agent-conf.js'
import {readConfText} from '../agent/install/conf-file.js'
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {type MessageKey} from '../i18n/messages.js'

export const MAX_ASSET_CHARS = 64

/** Control characters (and line/paragraph separators) would break the printed line or the header. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u

/** The value trimmed, or why it is refused (a catalogue key). */
export function checkAsset(value: string): {asset: string} | {problem: MessageKey} {
  const asset = value.trim()
  if (asset === '' || UNPRINTABLE.test(asset)) return {problem: 'audit.assetUnprintable'}
  if ([...asset].length > MAX_ASSET_CHARS) return {problem: 'audit.assetTooLong'}
  return {asset}
}

/** The --asset value, checked: a usage error (exit 2) saying what is wrong, never echoing it. */
export function assetFromFlag(value: string): string {
  const checked = checkAsset(value)
  if ('problem' in checked) throw new UserError(checked.problem, {max: MAX_ASSET_CHARS}, EXIT.usage)
  return checked.asset
}

/**
 * ASSET_NUMBER from agent.conf, or null: a user who may not read the file (it is root's, 0600),
 * a missing file, a file `provision` would refuse or a bad value all leave the line to fill by hand.
 */
export async function assetFromConf(file: string = agentConfPath()): Promise<null | string> {
  try {
    const text = await readConfText(file)
    const value = text === null ? undefined : parseAgentConf(text, file).ASSET_NUMBER
    if (value === undefined) return null
    const checked = checkAsset(value)
    return 'asset' in checked ? checked.asset : null
  } catch {
    return null
  }
}
