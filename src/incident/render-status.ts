// Terminal text for `incident status` and `incident verify`.
import type {Lang} from '../i18n/lang.js'
import {formatLocalTime, type ZoneOption} from '../i18n/local-time.js'
import {type MessageKey, t} from '../i18n/messages.js'
import type {CutHold, HoldChange} from './cut-hold.js'
import type {IncidentStatus} from './status.js'
import type {EvidenceVerification} from './types.js'

type Tr = (key: MessageKey, params?: Record<string, number | string>) => string

/** `zone` stands in for the PC's time zone (tests); the journal's times stay ISO UTC in --json. */
export function renderStatus(status: IncidentStatus, lang: Lang, zone: ZoneOption = {}): string {
  const tr: Tr = (key, params) => t(lang, key, params)
  const time = (at: null | string | undefined): string => (at ? formatLocalTime(at, zone) : '-')
  if (!status.open) {
    const lines = [tr(status.isolated ? 'incident.status.strayIsolation' : 'incident.status.connected')]
    if (status.last) lines.push(tr('incident.status.last', {closed: time(status.last.closed_at), evidence: status.last.evidence_dir, id: status.last.incident_id, started: time(status.last.started_at)}))
    return lines.join('\n')
  }
  // `incident reapply` puts the cut back on Linux and Windows; on macOS only reconnect remains.
  const notInEffect = status.platform === 'darwin' ? 'incident.status.openNotIsolated' : 'incident.status.openNotInEffect'
  const state = status.isolated === null ? 'incident.status.openUnknown' : status.isolated ? 'incident.status.isolated' : notInEffect
  const at = {method: status.method ?? '-', since: time(status.since)}
  // What the PC shows now overrides what nm-guard's own rules suggest: a rule can outlive a profile switched back to allow.
  const headline = status.hold?.state === 'changed' ? tr('incident.status.cutChanged', {...at, changes: changesText(status.hold.changes, tr)}) : tr(state, at)
  return [
    headline,
    ...holdLines(status.hold, status.method, tr),
    ...bootUnitLines(status, tr),
    tr('incident.status.details', {
      evidence: status.evidence_dir ?? '-',
      id: status.incident_id ?? '-',
      keep: status.keep_collector ? `${status.keep_collector.host}:${status.keep_collector.port}` : '-',
      phase: status.phase ?? '-',
      reason: status.reason ?? '-',
      report: status.report_path ?? '-',
    }),
  ].join('\n')
}

/** Windows: the check against the journal, when it found the cut intact or could not read it. */
function holdLines(hold: CutHold | null, method: IncidentStatus['method'], tr: Tr): string[] {
  if (!hold || hold.state === 'changed') return []
  if (hold.state === 'unknown') return [tr('incident.status.holdUnknown', {unread: hold.unread.join('; ')})]
  return [tr(method === 'adapters-disabled' ? 'incident.status.holdAdapters' : 'incident.status.holdFirewall')]
}

/** Linux: whether the cut comes back after a restart. */
function bootUnitLines(status: IncidentStatus, tr: Tr): string[] {
  const unit = status.boot_unit
  if (!unit) return []
  if (unit.enabled) return [tr('incident.status.bootUnitEnabled', {unit: unit.unit})]
  if (unit.state === null) return [tr('incident.status.bootUnitUnknown', {unit: unit.unit})]
  return [tr('incident.status.bootUnitOff', {state: unit.state, unit: unit.unit})]
}

function changesText(changes: HoldChange[], tr: Tr): string {
  const text = (change: HoldChange): string => {
    if (change.kind === 'adapter-enabled') return tr('incident.status.change.adapterEnabled', {adapter: change.adapter})
    if (change.kind === 'profile-off') return tr('incident.status.change.profileOff', {profile: change.profile})
    if (change.kind === 'profile-policy') return tr('incident.status.change.profilePolicy', {policy: change.policy, profile: change.profile})
    return tr('incident.status.change.ruleMissing', {rule: change.rule})
  }
  return changes.map(text).join(tr('incident.status.changeSeparator'))
}

export function renderVerification(result: EvidenceVerification, lang: Lang): string {
  const tr = (key: MessageKey, params?: Record<string, number | string>): string => t(lang, key, params)
  const lines = [tr(result.ok ? 'incident.verify.intact' : 'incident.verify.broken'), tr(`incident.verify.signature.${result.signature}`, {fingerprint: result.signer?.fingerprint ?? '-', kind: result.signer?.kind ?? '-'})]
  for (const [kind, files] of [['changed', result.changed], ['added', result.added], ['removed', result.removed], ['notRegular', result.not_regular]] as const) {
    for (const file of files) lines.push(`  ${tr(`incident.verify.${kind}`)}: ${file}`)
  }
  return lines.join('\n')
}
