import {policyFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {renderList} from '../../accounts/render-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountList extends NmgCommand<AccountView[]> {
  static override summary = helpText('help.account.list.summary')
  static override description = helpDescription('help.account.list.description')
  static override examples = ['<%= config.bin %> account list', '<%= config.bin %> account list --json']

  static override flags = {policy: policyFlag()}

  async run(): Promise<AccountView[]> {
    const {flags} = await this.parse(AccountList)
    const {service} = await openAccounts({policy: flags.policy})
    const views = service.list()
    this.log(renderList(views, this.lang))
    return views
  }
}
