import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {confirmHostname} from '../incident/confirm-host.js'
import {disconnect, type DisconnectResult, disconnectPlan} from '../incident/disconnect.js'
import {renderPlan} from '../incident/render-plan.js'
import type {CollectorEndpoint, IsolationPlan} from '../incident/types.js'

type Result = DisconnectResult | {dry_run: true; keep_collector: CollectorEndpoint | null; plan: IsolationPlan}

export default class Disconnect extends NmgCommand<Result> {
  static override summary = helpText('help.disconnect.summary')
  static override description = helpDescription('help.disconnect.description')
  static override examples = [
    '<%= config.bin %> disconnect --confirm gc-xmt-01 --reason "公众号后台出现异常登录"',
    '<%= config.bin %> disconnect --confirm gc-xmt-01 --keep-collector',
    '<%= config.bin %> disconnect --dry-run',
  ]

  static override flags = {
    confirm: Flags.string({summary: helpText('help.disconnect.confirm')}),
    'keep-collector': Flags.boolean({default: false, summary: helpText('help.disconnect.keepCollector')}),
    reason: Flags.string({summary: helpText('help.disconnect.reason')}),
    'evidence-dir': Flags.directory({summary: helpText('help.disconnect.evidenceDir')}),
    'dry-run': Flags.boolean({default: false, summary: helpText('help.disconnect.dryRun')}),
  }

  async run(): Promise<Result> {
    const {flags} = await this.parse(Disconnect)
    const json = this.jsonEnabled()
    const base = {evidenceDir: flags['evidence-dir'], keepCollector: flags['keep-collector'], lang: this.lang, reason: flags.reason?.trim() || null}
    if (flags['dry-run']) {
      // A name given with --confirm is checked as the real run checks it: a dry run that took the
      // wrong name would tell the responder the command line is ready when it is not.
      if (flags.confirm !== undefined) await confirmHostname({given: flags.confirm, json, lang: this.lang})
      const {keep_collector: keep, plan} = await disconnectPlan({...base, hostname: flags.confirm ?? ''})
      this.log(renderPlan(plan, this.lang))
      return {dry_run: true, keep_collector: keep, plan}
    }
    const hostname = await confirmHostname({given: flags.confirm, json, lang: this.lang})
    const result = await disconnect({...base, hostname, progress: json ? undefined : (line) => this.log(line)})
    for (const warning of result.warnings) this.addWarning(warning)
    this.log(this.t('incident.disconnected', {evidence: result.evidence_dir, ms: result.isolation_ms, report: result.report_path ?? '-', total: result.total_ms}))
    process.exitCode = result.exit_code
    return result
  }
}
