import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {writeOutputFile} from '../cli/write-output.js'
import {helpDescription, helpText} from '../i18n/help-text.js'
import {renderFacts} from '../facts/render-facts.js'
import {gatherFacts} from '../facts/gather.js'
import {gatherRecorded, gatherReplayed} from '../facts/recording/gather-recorded.js'
import {TABLE_NAMES} from '../facts/registry.js'
import type {FactsSnapshot} from '../facts/types.js'

export default class Facts extends NmgCommand<FactsSnapshot> {
  static override summary = helpText('help.facts.summary')
  static override description = helpDescription('help.facts.description')
  static override examples = [
    '<%= config.bin %> facts',
    '<%= config.bin %> facts --table installed_software --table vpn',
    '<%= config.bin %> facts --output snapshot.json',
    '<%= config.bin %> facts --record recording',
    '<%= config.bin %> facts --replay recording',
  ]

  static override flags = {
    table: Flags.option({multiple: true, options: TABLE_NAMES, summary: helpText('help.facts.table')})(),
    output: Flags.file({char: 'o', summary: helpText('help.facts.output')}),
    record: Flags.directory({exclusive: ['replay'], summary: helpText('help.facts.record')}),
    replay: Flags.directory({exclusive: ['record'], summary: helpText('help.facts.replay')}),
  }

  async run(): Promise<FactsSnapshot> {
    const {flags} = await this.parse(Facts)
    const facts = flags.replay
      ? await gatherReplayed(flags.replay, flags.table)
      : flags.record
        ? await gatherRecorded(flags.record, flags.table)
        : await gatherFacts({tables: flags.table})
    if (flags.output) await writeOutputFile(flags.output, JSON.stringify(facts, null, 2))
    this.log(renderFacts(facts, this.lang, Boolean(flags.table)))
    return facts
  }
}
