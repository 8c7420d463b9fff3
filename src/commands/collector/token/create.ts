import {Flags} from '@oclif/core'

import {EXIT} from '../../../cli/exit-codes.js'
import {NmgCommand} from '../../../cli/base-command.js'
import {UserError} from '../../../cli/user-error.js'
import {loadCollectorDir, newToken, parseDuration, sha256Hex} from '../../../collector/collector-dir.js'
import {dbFlag, dirFlag, openCollectorStore} from '../../../collector/command-support.js'
import {helpDescription, helpText} from '../../../i18n/help-text.js'
import {formatLocalTime} from '../../../i18n/local-time.js'

interface TokenResult {
  token: string
  expires_at: string
  uses: number
}

export default class CollectorTokenCreate extends NmgCommand<TokenResult> {
  static override summary = helpText('help.collector.token.summary')
  static override description = helpDescription('help.collector.token.description')
  static override examples = ['<%= config.bin %> collector token create --dir /var/lib/nm-guard-collector --ttl 24h --uses 1']

  static override flags = {
    dir: dirFlag(),
    db: dbFlag(),
    ttl: Flags.string({default: '24h', summary: helpText('help.collector.token.ttl')}),
    uses: Flags.integer({default: 1, summary: helpText('help.collector.token.uses')}),
  }

  async run(): Promise<TokenResult> {
    const {flags} = await this.parse(CollectorTokenCreate)
    const ttl = parseDuration(flags.ttl)
    if (ttl === null) throw new UserError('collector.badTtl', {ttl: flags.ttl}, EXIT.usage)
    if (flags.uses < 1 || flags.uses > 10_000) throw new UserError('collector.badUses', {uses: flags.uses}, EXIT.usage)
    loadCollectorDir(flags.dir)
    const {store} = await openCollectorStore(flags.dir, flags.db)
    const token = newToken('nmg_enroll')
    const expiresAt = new Date(Date.now() + ttl).toISOString()
    try {
      await store.insertToken({hash: sha256Hex(token), expires_at: expiresAt, uses_left: flags.uses})
    } finally {
      await store.close()
    }
    this.log(this.t('collector.tokenCreated', {expires: formatLocalTime(expiresAt), token, uses: flags.uses}))
    return {token, expires_at: expiresAt, uses: flags.uses}
  }
}
