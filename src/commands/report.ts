import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {requireIdentity} from '../agent/enrollment.js'
import {agentPaths} from '../agent/paths.js'
import {queueStatus, type QueueStatus} from '../agent/queue.js'
import {type FlushSummary, reportFlush} from '../agent/reporting.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {formatLocalTime} from '../i18n/local-time.js'

type ReportResult = QueueStatus | {flush: FlushSummary; queue: QueueStatus}

export default class Report extends NmgCommand<ReportResult> {
  static override summary = helpText('help.report.summary')
  static override description = helpDescription('help.report.description')
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report --flush']

  static override flags = {
    flush: Flags.boolean({default: false, summary: helpText('help.report.flush')}),
  }

  async run(): Promise<ReportResult> {
    const {flags} = await this.parse(Report)
    const paths = agentPaths()
    if (!flags.flush) {
      const status = await queueStatus(paths)
      this.log(this.t('agent.queueStatus', {count: status.queued, oldest: status.oldest ? formatLocalTime(status.oldest) : '-', rejected: status.rejected}))
      return status
    }
    const identity = await requireIdentity(paths)
    const {summary, exitCode, messages} = await reportFlush(identity, paths, this.lang)
    for (const message of messages) this.addWarning(message)
    this.log(this.t('agent.flushed', {sent: summary.sent, duplicates: summary.duplicates, rejected: summary.rejected, remaining: summary.remaining}))
    process.exitCode = exitCode
    return {flush: summary, queue: await queueStatus(paths)}
  }
}
