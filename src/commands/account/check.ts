import {policyFlag} from '../../accounts/account-flags.js'
import type {CheckedAccount} from '../../accounts/account-service.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {renderCheck} from '../../accounts/render-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountCheck extends NmgCommand<CheckedAccount[]> {
  static override summary = helpText('help.account.check.summary')
  static override description = helpDescription('help.account.check.description')
  static override examples = ['<%= config.bin %> account check', '<%= config.bin %> account check --policy my-district.yaml --json']

  static override flags = {policy: policyFlag()}

  async run(): Promise<CheckedAccount[]> {
    const {flags} = await this.parse(AccountCheck)
    const {service} = await openAccounts({policy: flags.policy})
    const checked = await service.check()
    this.log(renderCheck(checked, this.lang))
    process.exitCode = checked.some((c) => c.problems.length > 0) ? EXIT.nonCompliant : EXIT.ok
    return checked
  }
}
