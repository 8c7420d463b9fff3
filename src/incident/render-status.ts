// Terminal text for `incident status` and `incident verify`.
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import type {IncidentStatus} from './status.js'
import type {EvidenceVerification} from './types.js'

export function renderStatus(status: IncidentStatus, lang: Lang): string {
  const tr = (key: string, params?: Record<string, number | string>): string => t(lang, key, params)
  if (!status.open) {
    const lines = [tr(status.isolated ? 'incident.status.strayIsolation' : 'incident.status.connected')]
    if (status.last) lines.push(tr('incident.status.last', {closed: status.last.closed_at ?? '-', evidence: status.last.evidence_dir, id: status.last.incident_id, started: status.last.started_at}))
    return lines.join('\n')
  }
  const state = status.isolated === null ? 'incident.status.openUnknown' : status.isolated ? 'incident.status.isolated' : 'incident.status.openNotIsolated'
  return [
    tr(state, {method: status.method ?? '-', since: status.since ?? '-'}),
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

export function renderVerification(result: EvidenceVerification, lang: Lang): string {
  const tr = (key: string, params?: Record<string, number | string>): string => t(lang, key, params)
  const lines = [tr(result.ok ? 'incident.verify.intact' : 'incident.verify.broken'), tr(`incident.verify.signature.${result.signature}`, {fingerprint: result.signer?.fingerprint ?? '-', kind: result.signer?.kind ?? '-'})]
  for (const [kind, files] of [['changed', result.changed], ['added', result.added], ['removed', result.removed], ['notRegular', result.not_regular]] as const) {
    for (const file of files) lines.push(`  ${tr(`incident.verify.${kind}`)}: ${file}`)
  }
  return lines.join('\n')
}
