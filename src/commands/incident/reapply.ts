import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {reapplyIsolation, type ReapplyResult} from '../../incident/boot-reapply.js'

export default class IncidentReapply extends NmgCommand<ReapplyResult> {
  static override summary = helpText('help.incident.reapply.summary')
  static override description = helpDescription('help.incident.reapply.description')
  static override examples = ['<%= config.bin %> incident reapply', '<%= config.bin %> incident reapply --json']

  async run(): Promise<ReapplyResult> {
    await this.parse(IncidentReapply)
    const result = await reapplyIsolation({lang: this.lang})
    for (const warning of result.warnings) this.addWarning(warning)
    const key = ({'in-effect': 'incident.reapply.inEffect', none: 'incident.reapply.none', reapplied: 'incident.reapply.reapplied'} as const)[result.action]
    this.log(this.t(key, {id: result.incident_id ?? '-', method: result.method ?? '-'}))
    return result
  }
}
