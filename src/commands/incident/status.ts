import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {renderStatus} from '../../incident/render-status.js'
import {type IncidentStatus as Status, incidentStatus} from '../../incident/status.js'

export default class IncidentStatus extends NmgCommand<Status> {
  static override summary = helpText('help.incident.status.summary')
  static override description = helpDescription('help.incident.status.description')
  static override examples = ['<%= config.bin %> incident status', '<%= config.bin %> incident status --json']

  async run(): Promise<Status> {
    await this.parse(IncidentStatus)
    const status = await incidentStatus()
    this.log(renderStatus(status, this.lang))
    return status
  }
}
