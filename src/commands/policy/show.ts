import {Args} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {helpText} from '../../i18n/help-text.js'
import {loadPolicy} from '../../policy/load-policy.js'
import {renderPolicy} from '../../policy/render-policy.js'
import type {Policy} from '../../policy/types.js'

export default class PolicyShow extends NmgCommand<Policy> {
  static override summary = helpText('help.policyShow.summary')
  static override examples = ['<%= config.bin %> policy show', '<%= config.bin %> policy show my-district.yaml --lang en']

  static override args = {
    file: Args.file({description: helpText('help.policy.file')}),
  }

  async run(): Promise<Policy> {
    const {args} = await this.parse(PolicyShow)
    const loaded = await loadPolicy(args.file)
    this.log(renderPolicy(loaded, this.lang))
    return loaded.policy
  }
}
