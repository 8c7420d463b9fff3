import {once} from 'node:events'

import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {loadCollectorDir} from '../../collector/collector-dir.js'
import {dbFlag, dirFlag, openCollectorStore} from '../../collector/command-support.js'
import {csvChunks} from '../../collector/fleet.js'
import type {ReportExportRow} from '../../collector/store/types.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class CollectorExport extends NmgCommand<ReportExportRow[]> {
  static override summary = helpText('help.collector.export.summary')
  static override description = helpDescription('help.collector.export.description')
  static override examples = ['<%= config.bin %> collector export --dir /var/lib/nm-guard-collector --format csv > reports.csv']

  static override flags = {
    dir: dirFlag(),
    db: dbFlag(),
    format: Flags.option({default: 'csv', options: ['csv', 'json'] as const, summary: helpText('help.collector.export.format')})(),
  }

  async run(): Promise<ReportExportRow[]> {
    const {flags} = await this.parse(CollectorExport)
    loadCollectorDir(flags.dir)
    const {store} = await openCollectorStore(flags.dir, flags.db)
    // --json's envelope is one document, so it holds every row; the CSV and JSON outputs are
    // written a page at a time.
    const rows: ReportExportRow[] = []
    try {
      if (this.jsonEnabled()) for await (const page of store.exportReports()) rows.push(...page)
      else if (flags.format === 'csv') for await (const chunk of csvChunks(store)) await write(chunk)
      else await writeJsonArray(store.exportReports())
    } finally {
      await store.close()
    }
    return rows
  }
}

/** Waits for stdout to drain when it is full: a slow pipe must not make the pages pile up here. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain')
}

/** The same text as JSON.stringify(rows, null, 2), written a page at a time. */
async function writeJsonArray(pages: AsyncIterable<ReportExportRow[]>): Promise<void> {
  let first = true
  for await (const page of pages) {
    let text = ''
    for (const row of page) {
      // JSON text has no raw line breaks inside strings: indenting each line indents the row.
      text += `${first ? '[\n' : ',\n'}  ${JSON.stringify(row, null, 2).replaceAll('\n', '\n  ')}`
      first = false
    }
    await write(text)
  }
  await write(first ? '[]\n' : '\n]\n')
}
