import {lstat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {stateDir} from '../../config/state-dir.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {formatLocalDate} from '../../i18n/local-time.js'
import {guardStateDir} from '../../os/state-dir-guard.js'
import {ensureRootDir} from '../../os/safe-dir.js'
import {askMissing} from '../../policy/init/ask.js'
import {buildDistrictPolicy, districtId} from '../../policy/init/build-policy.js'
import {currentNetworks, type CurrentNetworks} from '../../policy/init/current-networks.js'
import {answersFromFlags, completeAnswers, type InitFlags, lastChecks} from '../../policy/init/from-flags.js'
import type {InitAnswers} from '../../policy/init/answers.js'
import {existsError, writePolicyFile} from '../../policy/init/write-policy.js'
import {activePolicyPath, defaultPolicyPath, districtPolicyPath, loadPolicy, machinePolicyPath, readPolicyText} from '../../policy/load-policy.js'
import {parsePolicy} from '../../policy/parse-policy.js'

interface InitResult {
  file: string
  id: string
  base: string
  checks: number
  /** Whether commands now use it without --policy. */
  active: boolean
  answers: InitAnswers
}

export default class PolicyInit extends NmgCommand<InitResult> {
  static override summary = helpText('help.policyInit.summary')
  static override description = helpDescription('help.policyInit.description')
  static override examples = [
    '<%= config.bin %> policy init',
    '<%= config.bin %> policy init --unit-zh 石家庄市藁城区人民政府办公室 --unit-en "Gaocheng District Government Office" --contact-zh 区委网信办值班室 --contact-en "District cyberspace office duty room" --wangxin-phone 0311-00000000 --police-phone 0311-00000001 --ssid GC-ZWGK-5F --ssid GC-ZWGK-3F --subnet 10.13.0.0/16 --no-vpn-always',
    '<%= config.bin %> policy init --output my-district.yaml --force',
  ]

  static override flags = {
    output: Flags.string({char: 'o', summary: helpText('help.policyInit.output')}),
    force: Flags.boolean({summary: helpText('help.policyInit.force')}),
    'unit-zh': Flags.string({summary: helpText('help.policyInit.unitZh')}),
    'unit-en': Flags.string({summary: helpText('help.policyInit.unitEn')}),
    'contact-zh': Flags.string({summary: helpText('help.policyInit.contactZh')}),
    'contact-en': Flags.string({summary: helpText('help.policyInit.contactEn')}),
    'wangxin-phone': Flags.string({summary: helpText('help.policyInit.wangxinPhone')}),
    'police-phone': Flags.string({summary: helpText('help.policyInit.policePhone')}),
    ssid: Flags.string({exclusive: ['wired-only'], multiple: true, multipleNonGreedy: true, summary: helpText('help.policyInit.ssid')}),
    'wired-only': Flags.boolean({exclusive: ['ssid'], summary: helpText('help.policyInit.wiredOnly')}),
    subnet: Flags.string({multiple: true, multipleNonGreedy: true, summary: helpText('help.policyInit.subnet')}),
    'vpn-always': Flags.boolean({allowNo: true, summary: helpText('help.policyInit.vpnAlways')}),
    'kms-host': Flags.string({multiple: true, multipleNonGreedy: true, summary: helpText('help.policyInit.kmsHost')}),
    facts: Flags.file({summary: helpText('help.policyInit.facts')}),
    yes: Flags.boolean({char: 'y', summary: helpText('help.policyInit.yes')}),
  }

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(PolicyInit)
    const state = stateDir()
    // Root's (an administrator's) policy is the machine's, for every account; anyone else's is their own.
    const machine = machineWide() ? machinePolicyPath() : undefined
    const file = resolve(flags.output ?? machine ?? districtPolicyPath(state))
    // Before any question: answers typed for a file that will not be written are answers wasted.
    if (!flags.force && (await lstat(file).catch(() => undefined))) throw existsError(file)
    const given = answersFromFlags(flags as InitFlags)
    const defaultFile = defaultPolicyPath()
    const base = (await loadPolicy(defaultFile, state)).policy
    const baseName = `${base.policy.id} ${base.policy.version}`
    const vpnDefault = base.variables?.vpn_required_always === true

    const interactive = !this.jsonEnabled() && !flags.yes && Boolean(process.stdin.isTTY)
    const networksOpen = given.ssids === undefined || given.subnets === undefined
    const offered: CurrentNetworks = networksOpen && (interactive || flags.yes) ? await currentNetworks({facts: flags.facts}) : {ssids: [], subnets: []}
    const answers = interactive
      ? await askMissing(given, {...offered, vpnAlways: vpnDefault}, {input: process.stdin, lang: this.lang, output: process.stderr})
      : completeAnswers(given, flags.yes ? offered : undefined, vpnDefault)
    lastChecks(answers)

    const text = buildDistrictPolicy({answers, base: baseName, date: formatLocalDate(new Date()), defaultText: await readPolicyText(defaultFile)})
    // Never a file `audit` would refuse: the district's policy is judged as the default was.
    const parsed = parsePolicy(text, file)
    const first = parsed.problems[0]
    if (!parsed.policy || first) {
      const detail = first ? {key: first.key, params: first.params} : undefined
      throw new UserError('policyInit.invalid', {base: baseName, column: first?.column ?? 0, count: parsed.problems.length, line: first?.line ?? 0}, EXIT.error, detail)
    }

    const inStateDir = file === resolve(districtPolicyPath(state))
    if (inStateDir) {
      // The state folder as every other writer treats it: root's and no one else's (#11 2.1).
      const warning = await guardStateDir({dir: state, lang: this.lang})
      if (warning) this.addWarning(warning)
      ensureRootDir(state, 0o700)
    } else if (machine && file === resolve(machine) && process.platform !== 'win32') {
      // Readable by every account (they all audit against it), writable by root alone.
      ensureRootDir(dirname(file), 0o755)
    }
    await writePolicyFile(file, text, {force: flags.force})
    const active = activePolicyPath(state) === file
    this.log(this.t('policyInit.written', {base: baseName, checks: parsed.policy.checks.length, file}))
    this.log(active ? this.t('policyInit.active') : this.t('policyInit.useWith', {district: districtPolicyPath(state), file}))
    return {active, answers, base: baseName, checks: parsed.policy.checks.length, file, id: districtId(answers.unitEn)}
  }
}

/** Root on Linux/macOS: the policy is the machine's. (On Windows the state folder already is.) */
const machineWide = (): boolean => process.platform !== 'win32' && typeof process.getuid === 'function' && process.getuid() === 0
