import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {confirmHostname} from '../incident/confirm-host.js'
import {reconnect, type ReconnectResult} from '../incident/reconnect.js'

export default class Reconnect extends NmgCommand<ReconnectResult> {
  static override summary = helpText('help.reconnect.summary')
  static override description = helpDescription('help.reconnect.description')
  static override examples = ['<%= config.bin %> reconnect --confirm gc-xmt-01']

  static override flags = {
    confirm: Flags.string({summary: helpText('help.reconnect.confirm')}),
  }

  async run(): Promise<ReconnectResult> {
    const {flags} = await this.parse(Reconnect)
    const json = this.jsonEnabled()
    await confirmHostname({given: flags.confirm, json, lang: this.lang})
    const result = await reconnect({lang: this.lang, progress: json ? undefined : (line) => this.log(line)})
    for (const warning of result.warnings) this.addWarning(warning)
    this.log(this.t('incident.reconnected', {id: result.incident_id, report: result.report_path ?? '-'}))
    process.exitCode = result.exit_code
    return result
  }
}
