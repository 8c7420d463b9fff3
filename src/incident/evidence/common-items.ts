// Items every platform shares: the installed software (the facts collector nm-guard already has)
// and a copy of the last audit report.
import {gatherTable, makeContext} from '../../facts/gather.js'
import {TABLES} from '../../facts/registry.js'
import {lastReportPath} from '../../report/last-report.js'
import {type EvidenceItem, EvidenceItemError, fileItem} from './item.js'

export const installedSoftwareItem: EvidenceItem = {
  name: 'software.installed',
  // Reads whole package databases (on Windows through PowerShell, 0.3–1 s just to start).
  timeoutMs: 20_000,
  async run(ctx) {
    const entry = TABLES.find((table) => table.spec.name === 'installed_software')
    if (!entry) throw new EvidenceItemError('the installed_software collector is missing')
    // The fact cache is bypassed: evidence must be what is installed now, not a cached answer.
    const facts = makeContext(ctx.platform, {cached: (_key, _fingerprint, compute) => compute(), exec: ctx.exec, now: ctx.now, stateDir: ctx.stateDir})
    const result = await gatherTable(entry, facts)
    if ('error' in result) throw new EvidenceItemError(result.error)
    await ctx.write('software/installed.json', `${JSON.stringify(result.rows, null, 2)}\n`)
  },
}

export const lastAuditReportItem: EvidenceItem = {
  name: 'audit.last_report',
  run: (ctx) => fileItem('audit.last_report', lastReportPath(ctx.stateDir), 'audit/last-report.json', {missing: 'no audit report yet'}).run(ctx),
}
