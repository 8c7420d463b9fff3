import {writeFile} from 'node:fs/promises'

import {Flags} from '@oclif/core'

import {NmgCommand} from '../cli/base-command.js'
import {UserError} from '../cli/user-error.js'
import {renderFacts} from '../facts/render-facts.js'
import {gatherFacts} from '../facts/gather.js'
import {TABLE_NAMES} from '../facts/registry.js'
import type {FactsSnapshot} from '../facts/types.js'

export default class Facts extends NmgCommand<FactsSnapshot> {
  static override summary = 'Gather the facts the policy judges (nm-guard/facts@1) 采集本机事实'
  static override description =
    'Without --table: a count of rows (or the reason a table is unavailable) per table. With --table: the rows too. --output saves the snapshot for `audit --facts`.'
  static override examples = ['<%= config.bin %> facts', '<%= config.bin %> facts --table installed_software --table vpn', '<%= config.bin %> facts --output snapshot.json']

  static override flags = {
    table: Flags.option({multiple: true, options: TABLE_NAMES, summary: 'Only this table (repeatable)'})(),
    output: Flags.file({char: 'o', summary: 'Write the facts@1 snapshot (JSON) to this file'}),
  }

  async run(): Promise<FactsSnapshot> {
    const {flags} = await this.parse(Facts)
    const facts = await gatherFacts({tables: flags.table})
    if (flags.output) {
      try {
        await writeFile(flags.output, `${JSON.stringify(facts, null, 2)}\n`)
      } catch (error) {
        throw new UserError('file.unwritable', {file: flags.output, reason: (error as NodeJS.ErrnoException).code ?? String(error)})
      }
    }
    this.log(renderFacts(facts, this.lang, Boolean(flags.table)))
    return facts
  }
}
