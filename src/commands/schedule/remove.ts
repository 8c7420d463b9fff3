import {NmgCommand} from '../../cli/base-command.js'
import {helpText} from '../../i18n/help-text.js'
import {openScheduler} from '../../schedule/scheduler.js'
import type {RemoveOutcome} from '../../schedule/types.js'

// Nothing installed is exit 0: the machine is in the state asked for, and scripts that remove
// before uninstalling nm-guard must not fail on a machine that never had a schedule.
export default class ScheduleRemove extends NmgCommand<RemoveOutcome> {
  static override summary = helpText('help.schedule.remove.summary')
  static override examples = ['<%= config.bin %> schedule remove']

  async run(): Promise<RemoveOutcome> {
    await this.parse(ScheduleRemove)
    const outcome = await (await openScheduler()).remove()
    this.log(this.t(outcome.removed ? 'schedule.removed' : 'schedule.nothingToRemove', {location: outcome.location, mechanism: outcome.mechanism}))
    return outcome
  }
}
