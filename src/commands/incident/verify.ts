import {Args, Flags} from '@oclif/core'

import {NmgCommand} from '../../cli/base-command.js'
import {EXIT} from '../../cli/exit-codes.js'
import {helpDescription, helpText} from '../../i18n/help-text.js'
import {verifyEvidence} from '../../incident/evidence/manifest.js'
import {renderVerification} from '../../incident/render-status.js'
import type {EvidenceVerification} from '../../incident/types.js'

export default class IncidentVerify extends NmgCommand<EvidenceVerification> {
  static override summary = helpText('help.incident.verify.summary')
  static override description = helpDescription('help.incident.verify.description')
  static override examples = ['<%= config.bin %> incident verify /var/lib/nm-guard/incident/20261127T080000123Z-…/evidence']

  static override args = {
    dir: Args.directory({required: true, description: helpText('help.incident.verify.dir')}),
  }

  static override flags = {
    signer: Flags.string({summary: helpText('help.incident.verify.signer')}),
  }

  async run(): Promise<EvidenceVerification> {
    const {args, flags} = await this.parse(IncidentVerify)
    const result = await verifyEvidence(args.dir, {trusted: flags.signer})
    this.log(renderVerification(result, this.lang))
    process.exitCode = result.ok ? EXIT.ok : EXIT.nonCompliant
    return result
  }
}
