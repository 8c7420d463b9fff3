import {accountArg, platformFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountRemove extends NmgCommand<AccountView> {
  static override summary = helpText('help.account.remove.summary')
  static override description = helpDescription('help.account.remove.description')
  static override examples = ['<%= config.bin %> account remove gcfb', '<%= config.bin %> account remove 藁城发布 --platform weibo']

  static override args = {account: accountArg()}

  static override flags = {platform: platformFlag()}

  async run(): Promise<AccountView> {
    const {args, flags} = await this.parse(AccountRemove)
    const {service} = await openAccounts()
    const view = await service.remove(args.account, flags.platform)
    this.log(this.t('account.removed', {account: `${view.platform}/${view.account}`}))
    return view
  }
}
