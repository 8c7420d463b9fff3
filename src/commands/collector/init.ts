import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {type InitResult, initCollectorDir} from '../../collector/collector-dir.js'
import {dirFlag, openCollectorStore} from '../../collector/command-support.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class CollectorInit extends NmgCommand<InitResult> {
  static override summary = helpText('help.collector.init.summary')
  static override description = helpDescription('help.collector.init.description')
  static override examples = ['<%= config.bin %> collector init --dir /var/lib/nm-guard-collector --host collector.gcx.gov.cn --host 10.1.2.3']

  static override flags = {
    dir: dirFlag(),
    host: Flags.string({required: true, multiple: true, summary: helpText('help.collector.init.host')}),
  }

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(CollectorInit)
    const result = initCollectorDir(flags.dir, flags.host)
    // Create the default database now, so a broken SQLite build shows up at init, not at serve.
    const {store} = await openCollectorStore(flags.dir, undefined)
    await store.close()
    this.log(this.t('collector.initDone', {dir: result.dir, fingerprint: result.ca_fingerprint, hosts: result.hosts.join(', ')}))
    this.log(this.t('collector.adminToken', {token: result.admin_token}))
    return result
  }
}
