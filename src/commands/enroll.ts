import {Args, Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {enroll, type Enrollment} from '../agent/enrollment.js'
import {timeoutFromEnv} from '../agent/reporting.js'
import {helpDescription, helpText} from '../i18n/help-text.js'

export default class Enroll extends NmgCommand<Enrollment> {
  static override summary = helpText('help.enroll.summary')
  static override description = helpDescription('help.enroll.description')
  static override examples = ['<%= config.bin %> enroll https://collector.example.gov.cn:8443 --token TOKEN --ca-fingerprint 3f2a…']

  static override args = {
    url: Args.string({description: helpText('help.enroll.url'), required: true}),
  }

  static override flags = {
    token: Flags.string({required: true, summary: helpText('help.enroll.token')}),
    'ca-fingerprint': Flags.string({required: true, summary: helpText('help.enroll.caFingerprint')}),
    force: Flags.boolean({default: false, summary: helpText('help.enroll.force')}),
  }

  async run(): Promise<Enrollment> {
    const {args, flags} = await this.parse(Enroll)
    const enrollment = await enroll({caFingerprint: flags['ca-fingerprint'], force: flags.force, timeoutMs: timeoutFromEnv(), token: flags.token, url: args.url})
    this.log(this.t('agent.enrolled', {agent: enrollment.agent_id, url: enrollment.url}))
    return enrollment
  }
}
