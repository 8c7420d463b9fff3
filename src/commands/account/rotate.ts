import {accountArg, forceFlag, passwordStdinFlag, platformFlag, policyFlag} from '../../accounts/account-flags.js'
import type {AccountView} from '../../accounts/account-service.js'
import {askPassword, refusing, storedLine} from '../../accounts/command-support.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountRotate extends NmgCommand<AccountView> {
  static override summary = helpText('help.account.rotate.summary')
  static override description = helpDescription('help.account.rotate.description')
  static override examples = ['<%= config.bin %> account rotate gcfb', 'printf \'%s\\n\' "$NEW_PW" | <%= config.bin %> account rotate 藁城发布 --platform weibo --password-stdin']

  static override args = {account: accountArg()}

  static override flags = {
    platform: platformFlag(),
    'password-stdin': passwordStdinFlag(),
    force: forceFlag(),
    policy: policyFlag(),
  }

  async run(): Promise<AccountView> {
    const {args, flags} = await this.parse(AccountRotate)
    const {rules, service} = await openAccounts({policy: flags.policy})
    const record = service.find(args.account, flags.platform)
    const password = await askPassword(this.lang, `${record.platform}/${record.account}`, flags['password-stdin'], this.jsonEnabled())
    const view = await refusing(this.lang, rules, () => service.rotate(record.account, record.platform, password, flags.force))
    this.log(storedLine(this.lang, 'account.rotated', view))
    return view
  }
}
