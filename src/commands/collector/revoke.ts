import {Args} from '@oclif/core'

import {EXIT} from '../../cli/exit-codes.js'
import {NmgCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/user-error.js'
import {loadCollectorDir} from '../../collector/collector-dir.js'
import {dbFlag, dirFlag, openCollectorStore} from '../../collector/command-support.js'
import {isAgentId} from '../../collector/protocol.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'

export default class CollectorRevoke extends NmgCommand<{agent_id: string; revoked: true}> {
  static override summary = helpText('help.collector.revoke.summary')
  static override description = helpDescription('help.collector.revoke.description')
  static override examples = ['<%= config.bin %> collector revoke --dir /var/lib/nm-guard-collector 0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27']

  static override args = {
    agent: Args.string({required: true, description: helpText('help.collector.revoke.agent')}),
  }

  static override flags = {dir: dirFlag(), db: dbFlag()}

  async run(): Promise<{agent_id: string; revoked: true}> {
    const {args, flags} = await this.parse(CollectorRevoke)
    const agentId = args.agent.trim().toLowerCase()
    if (!isAgentId(agentId)) throw new UserError('collector.badAgentId', {agent: args.agent}, EXIT.usage)
    loadCollectorDir(flags.dir)
    const {store} = await openCollectorStore(flags.dir, flags.db)
    let found: boolean
    try {
      found = await store.revokeAgent(agentId, new Date().toISOString())
    } finally {
      await store.close()
    }
    if (!found) throw new UserError('collector.noSuchAgent', {agent: agentId})
    this.log(this.t('collector.revoked', {agent: agentId}))
    return {agent_id: agentId, revoked: true}
  }
}
