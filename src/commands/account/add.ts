import {Flags} from '@oclif/core'

import {forceFlag, passwordStdinFlag, policyFlag, requiredPlatformFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {askPassword, refusing, storedLine} from '../../accounts/command-support.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountAdd extends NmgCommand<AccountView> {
  static override summary = helpText('help.account.add.summary')
  static override description = helpDescription('help.account.add.description')
  static override examples = [
    '<%= config.bin %> account add --platform wechat --account gcfb --custodian 张三 --contact 0311-88000000',
    'printf \'%s\\n\' "$PW" | <%= config.bin %> account add --platform weibo --account 藁城发布 --custodian 李四 --password-stdin',
  ]

  static override flags = {
    platform: requiredPlatformFlag(),
    account: Flags.string({required: true, summary: helpText('help.account.name')}),
    custodian: Flags.string({required: true, summary: helpText('help.account.custodian')}),
    contact: Flags.string({summary: helpText('help.account.contact')}),
    'password-stdin': passwordStdinFlag(),
    force: forceFlag(),
    policy: policyFlag(),
  }

  async run(): Promise<AccountView> {
    const {flags} = await this.parse(AccountAdd)
    const {rules, service} = await openAccounts({policy: flags.policy})
    const input = {account: flags.account, contact: flags.contact, custodian: flags.custodian, platform: flags.platform}
    // Refuse a duplicate before asking for a password the user would type in vain.
    service.assertNew(input)
    const password = await askPassword(this.lang, `${flags.platform}/${flags.account.trim()}`, flags['password-stdin'], this.jsonEnabled())
    const view = await refusing(this.lang, rules, () => service.add(input, password, flags.force))
    this.log(storedLine(this.lang, 'account.added', view))
    return view
  }
}
