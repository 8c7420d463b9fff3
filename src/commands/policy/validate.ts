import {Args} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {formatProblem} from '../../policy/format-problem.js'
import {defaultPolicyPath, readPolicyText} from '../../policy/load-policy.js'
import {parsePolicy} from '../../policy/parse-policy.js'
import type {Problem} from '../../policy/types.js'

interface ValidateResult {
  file: string
  valid: boolean
  sha256: string
  problems: Array<Problem & {message: string}>
}

export default class PolicyValidate extends NmgCommand<ValidateResult> {
  static override summary = helpText('help.policyValidate.summary')
  static override description = helpDescription('help.policyValidate.description')
  static override examples = ['<%= config.bin %> policy validate my-district.yaml']

  static override args = {
    file: Args.file({description: helpText('help.policy.file')}),
  }

  async run(): Promise<ValidateResult> {
    const {args} = await this.parse(PolicyValidate)
    const file = args.file ?? defaultPolicyPath()
    const parsed = parsePolicy(await readPolicyText(file), file)
    const problems = parsed.problems.map((p) => ({...p, message: formatProblem(p, this.lang)}))
    for (const p of problems) this.logToStderr(`${p.file}:${p.line}:${p.column}: ${p.message}`)
    if (problems.length === 0) this.log(this.t('policy.valid', {checks: parsed.policy?.checks.length ?? 0, file}))
    else process.exitCode = EXIT.error
    return {file, problems, sha256: parsed.sha256, valid: problems.length === 0}
  }
}
