import {NmgCommand} from '../../cli/base-command.js'
import {helpText} from '../../i18n/help-text.js'
import {formatClockTime, formatLocalTime} from '../../i18n/local-time.js'
import {openScheduler} from '../../schedule/scheduler.js'
import type {ScheduleStatus} from '../../schedule/types.js'

// Exit 0 whether or not a schedule is installed: "installed: no" is an answer, not an error.
export default class ScheduleStatusCommand extends NmgCommand<ScheduleStatus> {
  static override summary = helpText('help.schedule.status.summary')
  static override examples = ['<%= config.bin %> schedule status', '<%= config.bin %> schedule status --json']

  async run(): Promise<ScheduleStatus> {
    await this.parse(ScheduleStatusCommand)
    const s = await (await openScheduler()).status()
    const unknown = this.t('schedule.status.unknown')
    const rows: Array<[string, string]> = [
      [this.t('schedule.status.installed'), s.installed ? this.t('schedule.status.yes') : this.t('schedule.status.no')],
      [this.t('schedule.status.mechanism'), s.mechanism],
      [this.t('schedule.status.location'), s.location],
    ]
    if (s.installed) {
      rows.push(
        // The platform runs it by this PC's clock: the zone is said (--json keeps HH:MM).
        [this.t('schedule.status.time'), s.time === null ? unknown : formatClockTime(s.time)],
        [this.t('schedule.status.nextRun'), s.nextRun ?? unknown],
        [this.t('schedule.status.lastRun'), s.lastRun ?? unknown],
        [this.t('schedule.status.lastResult'), s.lastResult ?? unknown],
      )
    }
    // Shown even when the schedule is gone: it may be why someone removed it.
    if (s.lastFailure !== null) rows.push([this.t('schedule.status.lastFailure'), failureText(s.lastFailure)])
    this.log(rows.map(([k, v]) => `${k}: ${v}`).join('\n'))
    return s
  }
}

/** The log's line (ISO UTC, exit code, message; tab-separated) with its time in the PC's zone. */
function failureText(line: string): string {
  const [at = '', ...rest] = line.split('\t')
  return [formatLocalTime(at), ...rest].join('  ')
}
