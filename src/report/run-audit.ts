// The audit job: facts (gathered or loaded) → policy → report → rendered output.
import {ux} from '@oclif/core'

import {writeOutputFile} from '../cli/write-output.js'
import {gatherFacts} from '../facts/gather.js'
import {loadFacts} from '../facts/load-facts.js'
import {gatherReplayed} from '../facts/recording/gather-recorded.js'
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {guardStateDir} from '../os/state-dir-guard.js'
import {loadPolicy} from '../policy/load-policy.js'
import type {Severity} from '../policy/types.js'
import {buildReport, type Report} from './build-report.js'
import {isNonCompliant} from './compliance.js'
import {saveLastReport} from './last-report.js'
import {renderHtml} from './render-html.js'
import {renderTable} from './render-table.js'

export interface AuditOptions {
  policy?: string
  facts?: string
  /** A recording folder (`facts --record`) to parse instead of this PC. */
  replay?: string
  format: 'html' | 'json' | 'table'
  failOn: Severity
  lang: Lang
  output?: string
  /** Show a spinner on stderr while facts are gathered. */
  interactive: boolean
  colour: boolean
  /** The enrolled agent id, carried in the report's agent.id (null when not enrolled). */
  agentId?: string
  /** The PC's asset number, printed on the report (null: none known). */
  asset?: null | string
  /** Where the caches and the last report go (default: stateDir()). */
  stateDir?: string
  /** The PC this process runs on, for the state folder's guard (default: this one; tests stand in for Windows). */
  host?: {exec: Exec; platform: Platform}
}

export interface AuditOutcome {
  report: Report
  nonCompliant: boolean
  /** What to print on stdout; undefined when written to --output. */
  rendered?: string
  /** Why this machine's report could not be kept for `disconnect`'s evidence (a warning, not fatal). */
  notSaved?: string
  /** The state folder's permissions could not be checked (Windows, elevated): said, not fatal. */
  stateDirWarning?: string
}

export async function runAudit(options: AuditOptions): Promise<AuditOutcome> {
  // Before the first write into the state folder (the policy cache, then the fact cache, the last
  // report, the queue): an elevated Windows audit writes nothing into one other accounts can change.
  const stateDirWarning = (await guardStateDir({dir: options.stateDir, exec: options.host?.exec, lang: options.lang, platform: options.host?.platform})) ?? undefined
  // Load the policy next: a bad policy should fail before seconds of fact gathering.
  const loaded = await loadPolicy(options.policy, options.stateDir)
  let facts
  if (options.facts) {
    facts = await loadFacts(options.facts)
  } else if (options.replay) {
    facts = await gatherReplayed(options.replay)
  } else {
    if (options.interactive) ux.action.start(t(options.lang, 'audit.gathering'), undefined, {stdout: false})
    facts = await gatherFacts(options.stateDir ? {context: {stateDir: options.stateDir}} : {})
    if (options.interactive) ux.action.stop(t(options.lang, 'cli.done'))
  }
  const report = buildReport(facts, loaded, {agentId: options.agentId, asset: options.asset})
  // Only a live audit describes this PC; a --facts snapshot or a recording may come from another one.
  let notSaved: string | undefined
  if (!options.facts && !options.replay) {
    try {
      await saveLastReport(report, options.stateDir)
    } catch (error) {
      notSaved = (error as Error).message
    }
  }
  const body =
    options.format === 'json'
      ? JSON.stringify(report, null, 2)
      : options.format === 'html'
        ? renderHtml(report, options.lang)
        : renderTable(report, options.lang, options.colour)
  if (options.output) await writeOutputFile(options.output, body)
  return {nonCompliant: isNonCompliant(report, options.failOn), notSaved, rendered: options.output ? undefined : body, report, stateDirWarning}
}
