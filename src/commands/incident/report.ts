import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {stateDir} from '../../config/state-dir.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {DEFAULT_DEADLINE_HOURS, writeIncidentDraft} from '../../incident/write-draft.js'

interface Result {
  incident_id: string
  html: string
  markdown: string
}

export default class IncidentReport extends NmgCommand<Result> {
  static override summary = helpText('help.incident.report.summary')
  static override description = helpDescription('help.incident.report.description')
  static override examples = ['<%= config.bin %> incident report', '<%= config.bin %> incident report --deadline-hours 2 --lang en']

  static override flags = {
    'deadline-hours': Flags.integer({default: DEFAULT_DEADLINE_HOURS, max: 72, min: 1, summary: helpText('help.incident.report.deadlineHours')}),
    policy: Flags.file({exists: true, summary: helpText('help.incident.report.policy')}),
  }

  async run(): Promise<Result> {
    const {flags} = await this.parse(IncidentReport)
    // The draft goes to 网信 and 公安 in Chinese; --lang en renders an English working copy.
    const lang = flags.lang ?? 'zh-CN'
    const written = await writeIncidentDraft({deadlineHours: flags['deadline-hours'], lang, now: new Date(), policy: flags.policy, root: stateDir()})
    this.log(this.t('incident.reportWritten', {html: written.html, markdown: written.markdown}))
    return {html: written.html, incident_id: written.journal.incident_id, markdown: written.markdown}
  }
}
