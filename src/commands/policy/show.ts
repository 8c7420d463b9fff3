import {Args} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {stateDir} from '../../config/state-dir.js'
import {helpText} from '../../i18n/help-text.js'
import {activePolicyPath, districtPolicyPath, loadPolicy, machinePolicyPath} from '../../policy/load-policy.js'
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
    const state = stateDir()
    const file = args.file ?? activePolicyPath(state)
    const loaded = await loadPolicy(file, state)
    // Without FILE, say which one audit uses: the district's (policy init) or the bundled default.
    if (!args.file) {
      const district = districtPolicyPath(state)
      const which = file === district ? this.t('policy.activeDistrict', {file}) : file === machinePolicyPath() ? this.t('policy.activeMachine', {file}) : this.t('policy.activeDefault', {district})
      this.log(which)
    }
    this.log(renderPolicy(loaded, this.lang))
    return loaded.policy
  }
}
