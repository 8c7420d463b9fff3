import {Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {loadCollectorDir} from '../../collector/collector-dir.js'
import {dbFlag, dirFlag, openCollectorStore, redactDbUrl} from '../../collector/command-support.js'
import {dashboardUrls} from '../../collector/dashboard-urls.js'
import {DEFAULT_STALE_DAYS} from '../../collector/fleet.js'
import {caFingerprint, DEFAULT_PORT} from '../../collector/protocol.js'
import {startCollector} from '../../collector/server.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class CollectorServe extends NmgCommand<{stopped: true}> {
  static override summary = helpText('help.collector.serve.summary')
  static override description = helpDescription('help.collector.serve.description')
  static override examples = ['<%= config.bin %> collector serve --dir /var/lib/nm-guard-collector --host 0.0.0.0 --port 8443']

  static override flags = {
    dir: dirFlag(),
    db: dbFlag(),
    port: Flags.integer({default: DEFAULT_PORT, min: 0, max: 65_535, summary: helpText('help.collector.serve.port')}),
    // Loopback unless told otherwise: exposing the collector is a decision, not a default.
    host: Flags.string({default: '127.0.0.1', summary: helpText('help.collector.serve.host')}),
    'stale-days': Flags.integer({default: DEFAULT_STALE_DAYS, min: 1, summary: helpText('help.collector.serve.staleDays')}),
  }

  async run(): Promise<{stopped: true}> {
    const {flags} = await this.parse(CollectorServe)
    const dir = loadCollectorDir(flags.dir)
    const {store, url} = await openCollectorStore(flags.dir, flags.db)
    let running
    try {
      running = await startCollector(
        {
          ca: dir.ca,
          server: dir.server,
          adminTokenSha256: dir.settings.admin_token_sha256,
          store,
          staleDays: flags['stale-days'],
          onError: (error) => this.logToStderr(this.t('collector.requestFailed', {reason: ((error as Error).message ?? String(error)).split('\n')[0] as string})),
        },
        flags.port,
        flags.host,
      )
    } catch (error) {
      await store.close()
      throw new UserError('collector.listenFailed', {host: flags.host, port: flags.port, reason: (error as Error).message}, EXIT.error)
    }
    this.logToStderr(this.t('collector.listening', {db: redactDbUrl(url), host: flags.host, port: running.port}))
    // What the people setting up come for: where to log in, and what agents pin at enrollment.
    for (const dashboard of dashboardUrls(flags.host, running.port, dir.server.certPem)) this.logToStderr(this.t('collector.dashboardAt', {url: dashboard}))
    this.logToStderr(this.t('collector.caFingerprintFor', {fingerprint: caFingerprint(dir.ca.certPem)}))
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await running.close()
    await store.close()
    return {stopped: true}
  }
}
