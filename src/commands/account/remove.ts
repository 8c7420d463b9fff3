import {Flags} from '@oclif/core'

import {accountArg, platformFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {confirmRemoval} from '../../accounts/confirm-removal.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountRemove extends NmgCommand<AccountView> {
  static override summary = helpText('help.account.remove.summary')
  static override description = helpDescription('help.account.remove.description')
  static override examples = ['<%= config.bin %> account remove gcfb', '<%= config.bin %> account remove 藁城发布 --platform weibo --confirm 藁城发布']

  static override args = {account: accountArg()}

  static override flags = {
    platform: platformFlag(),
    confirm: Flags.string({summary: helpText('help.account.confirm')}),
  }

  async run(): Promise<AccountView> {
    const {args, flags} = await this.parse(AccountRemove)
    const {service} = await openAccounts()
    // The account is found first: a name that does not exist is said before anyone is asked to type it.
    const record = service.find(args.account, flags.platform)
    await confirmRemoval({account: record.account, given: flags.confirm, json: this.jsonEnabled(), lang: this.lang, platform: record.platform})
    const view = await service.remove(record.account, record.platform)
    this.log(this.t('account.removed', {account: `${view.platform}/${view.account}`}))
    return view
  }
}
