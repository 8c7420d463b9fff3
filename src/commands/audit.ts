import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {EXIT} from '../cli/exit-codes.js'
import {runAudit} from '../report/run-audit.js'
import type {Report} from '../report/build-report.js'
import {SEVERITIES} from '../policy/types.js'

export default class Audit extends NmgCommand<Report> {
  static override summary = 'Audit this PC against clause 四(二) of the new-media plan 按四(二)条款审计本机'
  static override description =
    'Gathers facts, evaluates the policy and prints the results. Exit 0 compliant, 3 non-compliant at --fail-on or above (a check that could not be judged counts), 1 error, 2 usage.'
  static override examples = ['<%= config.bin %> audit', '<%= config.bin %> audit --format html --output report.html --lang zh-CN', '<%= config.bin %> audit --facts snapshot.json --format json']

  static override flags = {
    policy: Flags.file({exists: false, summary: 'Policy file (default: the bundled gaocheng-2023.yaml) 策略文件'}),
    facts: Flags.file({summary: 'Evaluate a saved facts snapshot instead of gathering one 使用已保存的事实快照'}),
    format: Flags.option({options: ['table', 'json', 'html'] as const, summary: 'Output format (default: table on a terminal, json otherwise)'})(),
    'fail-on': Flags.option({default: 'low' as const, options: SEVERITIES, summary: 'Lowest severity that makes the exit code 3'})(),
    output: Flags.file({char: 'o', summary: 'Write the report to this file instead of standard output'}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Audit)
    const format = flags.format ?? (process.stdout.isTTY ? 'table' : 'json')
    const {report, nonCompliant, rendered} = await runAudit({
      facts: flags.facts,
      failOn: flags['fail-on'],
      format,
      interactive: !this.jsonEnabled() && Boolean(process.stderr.isTTY) && !flags.facts,
      lang: this.lang,
      output: flags.output,
      policy: flags.policy,
      colour: Boolean(process.stdout.isTTY) && !flags.output,
    })
    for (const [table, reason] of Object.entries(report.facts.unavailable)) this.warnings.push(`${table}: ${reason}`)
    if (rendered !== undefined) this.log(rendered)
    process.exitCode = nonCompliant ? EXIT.nonCompliant : EXIT.ok
    return report
  }
}
