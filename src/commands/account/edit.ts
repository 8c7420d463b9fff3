import {Flags} from '@oclif/core'

import {accountArg, platformFlag} from '../../accounts/account-flags.js'
import type {EditOutcome} from '../../accounts/account-service.js'
import {openAccounts} from '../../accounts/open-accounts.js'
import {infoChangeLine} from '../../accounts/render-accounts.js'
import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class AccountEdit extends NmgCommand<EditOutcome> {
  static override summary = helpText('help.account.edit.summary')
  static override description = helpDescription('help.account.edit.description')
  static override examples = [
    '<%= config.bin %> account edit gcfb --custodian 王五 --contact 13800000000',
    '<%= config.bin %> account edit 藁城发布 --platform weibo --reported',
  ]

  static override args = {account: accountArg()}

  static override flags = {
    platform: platformFlag(),
    custodian: Flags.string({summary: helpText('help.account.custodian')}),
    contact: Flags.string({summary: helpText('help.account.contact')}),
    reported: Flags.boolean({default: false, summary: helpText('help.account.reported')}),
  }

  async run(): Promise<EditOutcome> {
    const {args, flags} = await this.parse(AccountEdit)
    // Said before the store is opened: nothing to do is a usage error, not a lookup.
    if (flags.custodian === undefined && flags.contact === undefined && !flags.reported) throw new UserError('account.editNothing', {}, EXIT.usage)
    const {service} = await openAccounts()
    const outcome = await service.edit(args.account, flags.platform, {contact: flags.contact, custodian: flags.custodian, reported: flags.reported})
    const {view} = outcome
    const account = `${view.platform}/${view.account}`
    const lines: string[] = []
    if (outcome.changed.length > 0) lines.push(this.t('account.edited', {account, fields: outcome.changed.map((f) => this.t(`account.field.${f}`)).join(this.t('account.fieldSeparator'))}))
    else if (flags.custodian !== undefined || flags.contact !== undefined) lines.push(this.t('account.editUnchanged', {account}))
    if (flags.reported) lines.push(this.t(outcome.reported > 0 ? 'account.reportRecorded' : 'account.nothingToReport', {account}))
    // Still open (a change just made, not marked reported): what 二(七) asks, and by when.
    if (view.info_change) lines.push(infoChangeLine(view, this.lang))
    this.log(lines.join('\n'))
    return outcome
  }
}
