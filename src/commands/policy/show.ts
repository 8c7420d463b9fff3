import {Args} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {loadPolicy} from '../../policy/load-policy.js'
import {renderPolicy} from '../../policy/render-policy.js'
import type {Policy} from '../../policy/types.js'

export default class PolicyShow extends NmgCommand<Policy> {
  static override summary = 'List a policy’s checks grouped by clause 按条款列出策略检查项'
  static override examples = ['<%= config.bin %> policy show', '<%= config.bin %> policy show my-district.yaml --lang en']

  static override args = {
    file: Args.file({description: 'Policy file (default: the bundled gaocheng-2023.yaml)'}),
  }

  async run(): Promise<Policy> {
    const {args} = await this.parse(PolicyShow)
    const loaded = await loadPolicy(args.file)
    this.log(renderPolicy(loaded, this.lang))
    return loaded.policy
  }
}
