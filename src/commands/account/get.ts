import {Flags} from '@oclif/core'

import {accountArg, platformFlag, policyFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {CLEAR_AFTER_SECONDS, copyAndClear, findClipboard} from '../../accounts/clipboard.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {renderAccount} from '../../accounts/render-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

type GetResult = AccountView & {password?: string; copied?: boolean}

export default class AccountGet extends NmgCommand<GetResult> {
  static override summary = helpText('help.account.get.summary')
  static override description = helpDescription('help.account.get.description')
  static override examples = ['<%= config.bin %> account get gcfb', '<%= config.bin %> account get gcfb --copy', '<%= config.bin %> account get 藁城发布 --platform weibo --show']

  static override args = {account: accountArg()}

  static override flags = {
    platform: platformFlag(),
    show: Flags.boolean({default: false, exclusive: ['copy'], summary: helpText('help.account.show')}),
    copy: Flags.boolean({default: false, exclusive: ['show'], summary: helpText('help.account.copy')}),
    policy: policyFlag(),
  }

  async run(): Promise<GetResult> {
    const {args, flags} = await this.parse(AccountGet)
    const {service} = await openAccounts({policy: flags.policy})
    const record = service.find(args.account, flags.platform)
    const view = service.view(record)
    if (flags.copy) {
      const tool = findClipboard()
      await copyAndClear(tool, await service.secret(record))
      this.log(this.t('account.copied', {account: `${view.platform}/${view.account}`, seconds: CLEAR_AFTER_SECONDS}))
      return {...view, copied: true}
    }
    if (flags.show) {
      const password = await service.secret(record)
      this.log(password)
      return {...view, password}
    }
    this.log(renderAccount(view, this.lang))
    return view
  }
}
