import {Flags, ux} from '@oclif/core'

import {promptHidden, type TtyInput} from '../../accounts/password-input.js'
import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {formatRefusal, formatVerdict, readPasswordLines, refusedVerdict} from '../../password/check-io.js'
import {loadPolicyRules} from '../../accounts/policy-rules.js'
import type {Verdict} from '../../password/types.js'

// --json here means JSON Lines, one {score, weak, reasons} object per password as it is judged
// (the contract), not the {status, result, warnings} envelope of other commands: run()
// writes the lines itself and returns nothing, so oclif prints no envelope after them. An error
// still ends as one JSON line (logJson below), and the exit codes are the usual ones.
export default class PasswordCheck extends NmgCommand<void> {
  static override summary = helpText('help.password.check.summary')
  static override description = helpDescription('help.password.check.description')
  static override examples = [
    '<%= config.bin %> password check',
    'printf "%s\\n" "$PW1" "$PW2" | <%= config.bin %> password check --stdin',
    '<%= config.bin %> password check --stdin --json < candidates.txt',
    '<%= config.bin %> password check --policy my-district.yaml',
  ]

  static override flags = {
    stdin: Flags.boolean({default: false, summary: helpText('help.password.check.stdin')}),
    policy: Flags.file({exists: false, summary: helpText('help.password.check.policy')}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(PasswordCheck)
    const input = process.stdin as TtyInput
    const json = this.jsonEnabled()
    // Passwords come one per line from a pipe or file (--stdin, or --json: no prompts under --json),
    // else from the hidden prompt. Lines typed on a terminal would be echoed: refuse that.
    const fromLines = flags.stdin || json
    if (fromLines && input.isTTY) throw new UserError(flags.stdin ? 'password.stdinIsTerminal' : 'password.noTerminal', {}, EXIT.usage)
    if (!fromLines && !input.isTTY) throw new UserError('password.noTerminal', {}, EXIT.usage)

    const {rules, unit} = await loadPolicyRules(flags.policy)
    const {createJudge} = await import('../../password/judge.js')
    const judge = await createJudge(rules, unit)

    let weak = false
    const print = (verdict: Verdict, refused = false): void => {
      weak ||= verdict.weak
      const text = refused ? formatRefusal(verdict, this.lang) : formatVerdict(verdict, this.lang)
      ux.stdout(json ? JSON.stringify({score: verdict.score, weak: verdict.weak, reasons: verdict.reasons}) : text)
    }
    const report = (password: string): void => print(judge.check(password))
    if (fromLines) {
      let count = 0
      // A line too long or not text gets a result line of its own (weak, "not judged", never the
      // line itself), and the batch goes on.
      for await (const line of readPasswordLines(input)) {
        count++
        if ('refused' in line) print(refusedVerdict(line.refused), true)
        else report(line.password)
      }
      if (count === 0) throw new UserError('password.noPassword', {}, EXIT.usage)
    } else {
      const password = await promptHidden(this.t('password.prompt'), input, process.stderr).catch(() => {
        throw new UserError('password.cancelled')
      })
      report(password)
    }
    process.exitCode = weak ? EXIT.nonCompliant : EXIT.ok
  }

  /** Only errors reach here (run() returns nothing): one compact line, like the results. */
  override logJson(json: unknown): void {
    ux.stdout(JSON.stringify(json))
  }
}
