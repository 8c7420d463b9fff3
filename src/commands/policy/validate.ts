import {Args} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {stateDir} from '../../config/state-dir.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {formatProblem} from '../../policy/format-problem.js'
import {activePolicyPath, defaultPolicyPath, readPolicyText} from '../../policy/load-policy.js'
import {parsePolicy} from '../../policy/parse-policy.js'
import {diffPolicies, type PolicyDiff} from '../../policy/policy-diff.js'
import {renderDiff} from '../../policy/render-diff.js'
import type {Policy, Problem} from '../../policy/types.js'

interface ValidateResult {
  file: string
  valid: boolean
  sha256: string
  problems: Array<Problem & {message: string}>
  /** What a valid policy changes from the bundled default (null for the default itself, or when invalid). */
  diff: (PolicyDiff & {base: string}) | null
}

export default class PolicyValidate extends NmgCommand<ValidateResult> {
  static override summary = helpText('help.policyValidate.summary')
  static override description = helpDescription('help.policyValidate.description')
  static override examples = ['<%= config.bin %> policy validate my-district.yaml', '<%= config.bin %> policy validate my-district.yaml --json']

  static override args = {
    file: Args.file({description: helpText('help.policy.file')}),
  }

  async run(): Promise<ValidateResult> {
    const {args} = await this.parse(PolicyValidate)
    const file = args.file ?? activePolicyPath(stateDir())
    const parsed = parsePolicy(await readPolicyText(file), file)
    const problems = parsed.problems.map((p) => ({...p, message: formatProblem(p, this.lang)}))
    for (const p of problems) this.logToStderr(`${p.file}:${p.line}:${p.column}: ${p.message}`)
    if (problems.length === 0) this.log(this.t('policy.valid', {checks: parsed.policy?.checks.length ?? 0, file}))
    else process.exitCode = EXIT.error
    const diff = parsed.policy ? await againstDefault(parsed.sha256, parsed.policy) : null
    if (diff) for (const line of renderDiff(diff, diff.base, this.lang)) this.log(line)
    return {diff, file, problems, sha256: parsed.sha256, valid: problems.length === 0}
  }
}

/** The diff against the bundled default; none for the default itself, or when the default does not parse. */
async function againstDefault(sha256: string, policy: Policy): Promise<(PolicyDiff & {base: string}) | null> {
  const defaultFile = defaultPolicyPath()
  const base = parsePolicy(await readPolicyText(defaultFile), defaultFile)
  if (!base.policy || base.sha256 === sha256) return null
  return {...diffPolicies(base.policy, policy), base: `${base.policy.policy.id} ${base.policy.policy.version}`}
}
