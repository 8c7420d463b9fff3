// Flags and arguments the account commands share.
import {Args, Flags} from '@oclif/core'

import {helpText} from '../i18n/help-text.js'
import {ACCOUNT_PLATFORMS} from './types.js'

export const platformFlag = () => Flags.option({options: ACCOUNT_PLATFORMS, summary: helpText('help.account.platformPick')})()

export const requiredPlatformFlag = () => Flags.option({options: ACCOUNT_PLATFORMS, required: true, summary: helpText('help.account.platform')})()

export const policyFlag = () => Flags.file({summary: helpText('help.account.policy')})

export const passwordStdinFlag = () => Flags.boolean({default: false, summary: helpText('help.account.passwordStdin')})

export const forceFlag = () => Flags.boolean({default: false, summary: helpText('help.account.force')})

export const accountArg = () => Args.string({description: helpText('help.account.name'), required: true})
