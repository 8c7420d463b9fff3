// macOS isolation as pfctl commands (pure): our rules in the anchor com.apple/nm_guard, which the
// stock /etc/pf.conf already evaluates (`anchor "com.apple/*"`), pf enabled with a reference token,
// and every state flushed so established connections stop too (pf passes packets of a known state
// without looking at rules).
import {TOOLS} from '../../os/tools.darwin.js'
import type {CollectorEndpoint, IsolationPlan, SavedNetworkState} from '../types.js'
import {checkAddress} from './nftables-script.js'

export const PF_ANCHOR = 'com.apple/nm_guard'

export function pfAnchorRules(keep: CollectorEndpoint | null): string {
  return [
    'pass quick on lo0 all',
    ...(keep ? keep.addresses.map((a) => `pass out quick proto tcp from any to ${checkAddress(a)} port ${keep.port} keep state`) : []),
    'block drop quick all',
    '',
  ].join('\n')
}

export function darwinPlan(_saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  return {
    commands: [
      {args: ['-a', PF_ANCHOR, '-f', '-'], file: TOOLS.pfctl, input: pfAnchorRules(keep), purpose: 'incident.step.pfAnchor'},
      {args: ['-E'], file: TOOLS.pfctl, purpose: 'incident.step.pfEnable'},
      {args: ['-F', 'states'], file: TOOLS.pfctl, purpose: 'incident.step.pfFlushStates'},
    ],
    method: 'pf',
    platform: 'darwin',
  }
}

/** `pfctl -s info`: "Status: Enabled for 0 days 01:02:03" or "Status: Disabled". */
export function parsePfInfo(text: string): {enabled: boolean} {
  const m = /^Status:\s+(Enabled|Disabled)\b/m.exec(text)
  if (!m) throw new Error('pfctl -s info: no Status line')
  return {enabled: m[1] === 'Enabled'}
}

/** The reference token `pfctl -E` prints ("Token : 1234…"), on stderr on most releases. */
export function parsePfToken(text: string): null | string {
  return /^Token\s*:\s*(\d+)\s*$/m.exec(text)?.[1] ?? null
}

/** Whether `pfctl -s rules` (the main ruleset) evaluates the com.apple/* anchors. */
export const evaluatesAppleAnchors = (mainRules: string): boolean => /^anchor "com\.apple\/\*"/m.test(mainRules)
