// Reports for the renderer tests, built by the real evaluator from a compliant PC spoiled in `failing`
// ways (each fails a check of the default policy), with users, custodians and an asset number.
import type {FactsSnapshot} from '../../src/facts/types.js'
import {loadPolicy} from '../../src/policy/load-policy.js'
import {buildReport, type Report} from '../../src/report/build-report.js'
import {addRows, compliantFacts, patchRows, withTable} from '../helpers/facts-builder.js'

const proc = (name: string) => ({name, path: null, pid: 9, user: null})

/** Ten spoilers, each failing checks of the default policy (the firewall one fails two). */
export const SPOILERS: Array<(f: FactsSnapshot) => FactsSnapshot> = [
  (f) => addRows(f, 'processes', proc('ToDesk.exe')),
  (f) => addRows(f, 'processes', proc('wegame.exe')),
  (f) => addRows(f, 'processes', proc('Thunder.exe')),
  (f) => addRows(f, 'processes', proc('frpc.exe')),
  (f) => addRows(f, 'processes', proc('KMSpico.exe')),
  (f) => addRows(f, 'processes', proc('iQIYI.exe')),
  (f) => patchRows(f, 'patch_status', {days_since_patch: 66, last_patch_at: '2026-09-22T03:00:00Z'}),
  (f) => withTable(f, 'screen_lock', [{enabled: false, source: 'registry', timeout_seconds: null, user: 'zhangsan'}]),
  (f) => patchRows(f, 'firewall', {enabled: false}),
]

export function spoiledFacts(count: number): FactsSnapshot {
  let facts = compliantFacts('win32')
  facts.host.hostname = 'gc-xmt-01'
  for (const spoil of SPOILERS.slice(0, count)) facts = spoil(facts)
  return facts
}

export async function sampleReport(failing = SPOILERS.length, asset: null | string = 'GC-ZC-2023-0042'): Promise<Report> {
  return buildReport(spoiledFacts(failing), await loadPolicy(), {asset, now: new Date('2026-11-27T08:00:00Z')})
}
