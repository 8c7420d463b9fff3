import {Flags} from '@oclif/core'

import type {Delivery} from '../agent/reporting.js'
import {type Envelope, NmgCommand} from '../cli/base-command.js'
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {t} from '../i18n/messages.js'
import {runAudit} from '../report/run-audit.js'
import {assetFromConf, assetFromFlag} from '../report/asset-number.js'
import {appendFailure, failureLine} from '../schedule/failure-log.js'
import {stateDir} from '../config/state-dir.js'
import type {Report} from '../report/build-report.js'
import {SEVERITIES} from '../policy/types.js'
import {UNSAFE_STATE_FOLDER} from '../os/state-dir-guard.js'

export default class Audit extends NmgCommand<Report> {
  static override summary = helpText('help.audit.summary')
  static override description = helpDescription('help.audit.description')
  static override examples = ['<%= config.bin %> audit', '<%= config.bin %> audit --format html --output report.html --lang zh-CN', '<%= config.bin %> audit --facts snapshot.json --format json', '<%= config.bin %> audit --replay recording --format json']

  static override flags = {
    policy: Flags.file({exists: false, summary: helpText('help.audit.policy')}),
    facts: Flags.file({exclusive: ['replay'], summary: helpText('help.audit.facts')}),
    replay: Flags.directory({exclusive: ['facts', 'report'], summary: helpText('help.audit.replay')}),
    format: Flags.option({options: ['table', 'json', 'html'] as const, summary: helpText('help.audit.format')})(),
    'fail-on': Flags.option({default: 'low' as const, options: SEVERITIES, summary: helpText('help.audit.failOn')})(),
    output: Flags.file({char: 'o', summary: helpText('help.audit.output')}),
    report: Flags.boolean({default: false, summary: helpText('help.audit.report')}),
    asset: Flags.string({summary: helpText('help.audit.asset')}),
    // Set by `schedule install`: a failed run leaves a line in <stateDir>/schedule/last-failures.log.
    scheduled: Flags.boolean({default: false, hidden: true}),
  }

  /** Read from argv, not the parsed flags: a run that fails to parse its flags must be logged too. */
  private get scheduled(): boolean {
    const end = this.argv.indexOf('--')
    return (end < 0 ? this.argv : this.argv.slice(0, end)).includes('--scheduled')
  }

  private failureLogged = false

  /** One line in the failure log, in English whatever --lang says; never lets logging fail the run. */
  private logFailure(code: number, message: string): void {
    if (this.failureLogged) return
    this.failureLogged = true
    try {
      appendFailure(stateDir(), failureLine(new Date(), code, message))
    } catch (error) {
      this.logToStderr(`nm-guard: ${(error as Error).message}`)
    }
  }

  override async init(): Promise<void> {
    await super.init()
    if (!this.scheduled) return
    // A crash outside the command's promise (a stray callback) would end the process before
    // finally(): record it, then end as Node would have.
    process.once('uncaughtException', (error) => {
      this.logFailure(EXIT.error, this.messageOf(error, 'en'))
      process.stderr.write(`${error?.stack ?? String(error)}\n`)
      process.exit(EXIT.error)
    })
  }

  override async finally(err: Error | undefined): Promise<void> {
    if (this.scheduled) {
      const code = Number(process.exitCode ?? (err ? EXIT.error : EXIT.ok))
      // 3 is a finished audit that found problems: the report says so, it is not a failed run.
      // Nor is a state folder refused as unsafe a place for the log (Windows: its writer has no ACL check of its own).
      const refused = err instanceof UserError && err.key === UNSAFE_STATE_FOLDER
      if (code !== EXIT.ok && code !== EXIT.nonCompliant && !refused) {
        const message = err ? this.messageOf(err, 'en') : t('en', code === EXIT.unreachable ? 'schedule.failure.unreachable' : 'schedule.failure.exit', {code})
        this.logFailure(code, message)
      }
    }
    await super.finally(err)
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Audit)
    const format = flags.format ?? (process.stdout.isTTY ? 'table' : 'json')
    // agent.conf describes this PC: a snapshot or a recording of another one gets only --asset.
    const asset = flags.asset === undefined ? (flags.facts || flags.replay ? null : await assetFromConf()) : assetFromFlag(flags.asset)
    // Before the audit: an unenrolled PC should fail fast, not after seconds of fact gathering. The
    // agent's modules (node-forge, TLS) load only for --report: a plain audit starts faster.
    const agent = flags.report ? await loadAgent() : undefined
    // A package's enrollment that failed at install time is retried by each scheduled run.
    if (agent && this.scheduled) await this.provisionPending()
    const identity = agent ? await agent.requireIdentity() : undefined
    const {report, nonCompliant, rendered, notSaved, stateDirWarning} = await runAudit({
      agentId: identity?.agent_id,
      asset,
      facts: flags.facts,
      replay: flags.replay,
      failOn: flags['fail-on'],
      format,
      interactive: !this.jsonEnabled() && Boolean(process.stderr.isTTY) && !flags.facts && !flags.replay,
      lang: this.lang,
      output: flags.output,
      policy: flags.policy,
      colour: Boolean(process.stdout.isTTY) && !flags.output,
    })
    for (const [table, reason] of Object.entries(report.facts.unavailable)) this.warnings.push(`${table}: ${reason}`)
    if (stateDirWarning) this.addWarning(stateDirWarning)
    if (notSaved) this.addWarning(this.t('audit.lastReportNotSaved', {error: notSaved}))
    if (rendered !== undefined) this.log(rendered)
    process.exitCode = nonCompliant ? EXIT.nonCompliant : EXIT.ok
    if (agent && identity) {
      const sent = await agent.reportFlush(identity, agent.agentPaths(), this.lang, process.exitCode, report)
      for (const message of sent.messages) this.addWarning(message)
      process.exitCode = sent.exitCode
      if (sent.delivery) {
        this.delivery = sent.delivery
        // One line: sent or queued, and why. Beside a JSON or HTML report on stdout it goes to stderr.
        const line = agent.deliveryLine(this.lang, sent.delivery, identity.url)
        if (format === 'table' || flags.output) this.log(line)
        else this.logToStderr(line)
      }
    }
    return report
  }

  /** What became of the report sent with --report: in the --json envelope beside `result`. */
  private delivery: Delivery | undefined

  protected override toSuccessJson(result: Report): Envelope<Report> & {delivery?: Delivery} {
    const envelope = super.toSuccessJson(result)
    return this.delivery ? {...envelope, delivery: this.delivery} : envelope
  }

  /** Enrolls from agent.conf when it says how and this PC is not enrolled yet; never fails the run. */
  private async provisionPending(): Promise<void> {
    try {
      const {loadEnrollment} = await import('../agent/identity.js')
      if (await loadEnrollment()) return
      const {provision} = await import('../agent/install/provision.js')
      const result = await provision()
      if (result.error) this.addWarning(this.t('provision.failed', {reason: this.messageOf(result.error)}))
    } catch (error) {
      this.addWarning(this.t('provision.failed', {reason: this.messageOf(error)}))
    }
  }
}

async function loadAgent() {
  const [{requireIdentity}, {agentPaths}, {deliveryLine, reportFlush}] = await Promise.all([import('../agent/enrollment.js'), import('../agent/paths.js'), import('../agent/reporting.js')])
  return {agentPaths, deliveryLine, reportFlush, requireIdentity}
}
