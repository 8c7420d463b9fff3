import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {loadCollectorDir} from '../../collector/collector-dir.js'
import {dbFlag, dirFlag, openCollectorStore} from '../../collector/command-support.js'
import {toCsv} from '../../collector/fleet.js'
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
    let rows: ReportExportRow[]
    try {
      rows = await store.exportReports()
    } finally {
      await store.close()
    }
    if (!this.jsonEnabled()) process.stdout.write(flags.format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`)
    return rows
  }
}
