import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {buildPlan, DEFAULT_TIME} from '../../schedule/plan.js'
import {openScheduler} from '../../schedule/scheduler.js'
import type {InstallOutcome} from '../../schedule/types.js'

export default class ScheduleInstall extends NmgCommand<InstallOutcome> {
  static override summary = helpText('help.schedule.install.summary')
  static override description = helpDescription('help.schedule.install.description')
  static override examples = ['<%= config.bin %> schedule install', '<%= config.bin %> schedule install --time 09:15']

  static override flags = {
    time: Flags.string({default: DEFAULT_TIME, summary: helpText('help.schedule.install.time')}),
  }

  async run(): Promise<InstallOutcome> {
    const {flags} = await this.parse(ScheduleInstall)
    // Parse --time before touching the machine: a typo must not leave a half-made schedule.
    const plan = buildPlan({time: flags.time})
    const outcome = await (await openScheduler()).install(plan)
    this.log(this.t(outcome.replaced ? 'schedule.replacedInstalled' : 'schedule.installed', {location: outcome.location, mechanism: outcome.mechanism, time: outcome.time}))
    // Said at install time, when it can still be fixed by installing again from an elevated prompt.
    if (!outcome.elevated) this.addWarning(this.t(outcome.mechanism === 'schtasks' ? 'schedule.warning.notElevatedWindows' : 'schedule.warning.notElevated'))
    return outcome
  }
}
