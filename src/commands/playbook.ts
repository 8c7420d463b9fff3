import {NmgCommand} from '../cli/base-command.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {playbook, type Playbook as PlaybookData, renderPlaybook} from '../incident/playbook.js'

export default class Playbook extends NmgCommand<PlaybookData> {
  static override summary = helpText('help.playbook.summary')
  static override description = helpDescription('help.playbook.description')
  static override examples = ['<%= config.bin %> playbook', '<%= config.bin %> playbook --lang en']

  async run(): Promise<PlaybookData> {
    await this.parse(Playbook)
    const book = playbook(this.lang)
    this.log(renderPlaybook(book))
    return book
  }
}
