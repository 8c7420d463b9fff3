// macOS isolation as pfctl commands (pure): our rules in the anchor com.apple/nm_guard, which the
// stock /etc/pf.conf already evaluates (`anchor "com.apple/*"`), pf enabled with a reference token,
// and every state flushed so established connections stop too (pf passes packets of a known state
// without looking at rules). pf sees a bridge's frames only when the bridge's private filter flags
// say so (IFBF_FILT_MEMBER, which no stock tool sets): every bridge that is up (Internet Sharing's
// bridge100, a VM's bridged network) goes down with the cut instead, and up again on reconnect.
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

export function darwinPlan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan {
  return {
    commands: [
      {args: ['-a', PF_ANCHOR, '-f', '-'], file: TOOLS.pfctl, input: pfAnchorRules(keep), purpose: 'incident.step.pfAnchor'},
      {args: ['-E'], file: TOOLS.pfctl, purpose: 'incident.step.pfEnable'},
      {args: ['-F', 'states'], file: TOOLS.pfctl, purpose: 'incident.step.pfFlushStates'},
      ...(saved.darwin_bridges ?? []).map((bridge) => ({args: [bridge, 'down'], file: TOOLS.ifconfig, purpose: 'incident.step.bridgeDown' as const})),
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

/** The bridges among `ifconfig -l -u` (the interfaces that are up). */
export const upBridges = (listing: string): string[] => listing.split(/\s+/).filter((name) => /^bridge\d+$/.test(name))
