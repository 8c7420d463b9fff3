import {rm} from 'node:fs/promises'

import {Flags} from '@oclif/core'

import {type AgentConf} from '../agent/install/agent-conf.js'
import {provision, provisionExit, type ProvisionResult} from '../agent/install/provision.js'
import {NmgCommand} from '../cli/base-command.js'
import {stateDir} from '../config/state-dir.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {buildPlan, DEFAULT_TIME} from '../schedule/plan.js'
import {openScheduler} from '../schedule/scheduler.js'

type ProvisionOutput = Omit<ProvisionResult, 'error'> & {error?: string; schedule?: string}

interface UninstallOutput {
  schedule: string
  schedule_removed: boolean
  data_removed: boolean
}

// What packages run at install and uninstall time (MSI custom actions, deb maintainer scripts).
export default class Provision extends NmgCommand<ProvisionOutput | UninstallOutput> {
  static override summary = helpText('help.provision.summary')
  static override description = helpDescription('help.provision.description')
  static override examples = [
    '<%= config.bin %> provision',
    '<%= config.bin %> provision --collector-url https://collector.example.gov.cn:8443 --enroll-token TOKEN --ca-fingerprint 3f2a… --schedule',
    '<%= config.bin %> provision --uninstall --remove-data',
  ]

  static override flags = {
    'collector-url': Flags.string({summary: helpText('help.provision.collectorUrl')}),
    'enroll-token': Flags.string({summary: helpText('help.provision.enrollToken')}),
    'ca-fingerprint': Flags.string({summary: helpText('help.provision.caFingerprint')}),
    schedule: Flags.boolean({default: false, exclusive: ['uninstall'], summary: helpText('help.provision.schedule')}),
    strict: Flags.boolean({default: false, summary: helpText('help.provision.strict')}),
    // No defaults on these two: oclif's dependsOn counts a defaulted flag as given, so with
    // `default: false` on --uninstall, --remove-data alone would pass as if --uninstall were set.
    uninstall: Flags.boolean({summary: helpText('help.provision.uninstall')}),
    'remove-data': Flags.boolean({dependsOn: ['uninstall'], summary: helpText('help.provision.removeData')}),
  }

  async run(): Promise<ProvisionOutput | UninstallOutput> {
    const {flags} = await this.parse(Provision)
    if (flags.uninstall) return this.uninstall(flags['remove-data'] === true)

    const settings: AgentConf = {CA_FINGERPRINT: flags['ca-fingerprint'], COLLECTOR_URL: flags['collector-url'], ENROLL_TOKEN: flags['enroll-token']}
    const result = await provision({settings})
    const {error, ...rest} = result
    const output: ProvisionOutput = {...rest, ...(error ? {error: this.messageOf(error, this.lang)} : {})}
    this.say(result, output.error)
    if (result.lock_down_failures?.length) this.addWarning(this.t('provision.lockDownFailed', {steps: result.lock_down_failures.join('; ')}))
    if (flags.schedule) {
      const outcome = await (await openScheduler()).install(buildPlan({time: DEFAULT_TIME}))
      output.schedule = outcome.location
      this.log(this.t(outcome.replaced ? 'schedule.replacedInstalled' : 'schedule.installed', {location: outcome.location, mechanism: outcome.mechanism, time: outcome.time}))
    }
    process.exitCode = provisionExit(result, flags.strict)
    return output
  }

  private say(result: ProvisionResult, error: string | undefined): void {
    if (result.enrollment === 'enrolled') this.log(this.t('agent.enrolled', {agent: result.agent_id ?? '', url: result.url ?? ''}))
    else if (result.enrollment === 'already-enrolled') this.log(this.t('provision.alreadyEnrolled', {agent: result.agent_id ?? '', url: result.url ?? ''}))
    else if (result.enrollment === 'not-configured') this.log(this.t('provision.notConfigured', {conf: result.conf, missing: (result.missing ?? []).join(', ')}))
    else this.logToStderr(this.t('provision.failed', {reason: error ?? ''}))
    if (result.token_removed) this.log(this.t('provision.tokenRemoved', {conf: result.conf}))
  }

  private async uninstall(removeData: boolean): Promise<UninstallOutput> {
    const outcome = await (await openScheduler()).remove()
    this.log(this.t(outcome.removed ? 'schedule.removed' : 'schedule.nothingToRemove', {location: outcome.location, mechanism: outcome.mechanism}))
    const dir = stateDir()
    if (removeData) {
      await rm(dir, {force: true, recursive: true})
      this.log(this.t('provision.dataRemoved', {dir}))
    }
    return {data_removed: removeData, schedule: outcome.location, schedule_removed: outcome.removed}
  }
}
