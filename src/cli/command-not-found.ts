// oclif's command_not_found hook: `nm-guard nope` and `nm-guard password check extra` (words oclif
// glued into a command name) as one translated usage line, exit 2, instead of oclif's stack trace.
import type {Hook, Interfaces} from '@oclif/core'

import {detectLang, type Lang} from '../i18n/lang.js'
import {EXIT} from './exit-codes.js'
import {UsageError} from './usage-error.js'
import {errorJson} from './user-error.js'

/** Shows a usage error raised outside any command: the --json envelope, or one line on stderr. */
export function reportUsage(err: UsageError, argv: readonly string[], lang: Lang = detectLang(argv)): void {
  const message = err.render(lang)
  process.exitCode = EXIT.usage
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({status: EXIT.usage, result: null, warnings: [], error: errorJson(err, message)}, null, 2)}\n`)
  else process.stderr.write(`nm-guard: ${message}\n`)
}

/** The words of `id` as the user typed them: the longest command they start with, and the rest. */
export function unknownCommandError(config: Pick<Interfaces.Config, 'findCommand'>, id: string): UsageError {
  const words = id.split(':')
  for (let n = words.length - 1; n > 0; n--) {
    const command = words.slice(0, n).join(':')
    if (config.findCommand(command)) return new UsageError('cli.usage.unexpectedArgs', {args: words.slice(n).join(', ')}, words.slice(0, n).join(' '))
  }
  return new UsageError('cli.usage.unknownCommand', {command: words.join(' ')}, '')
}

const hook: Hook<'command_not_found'> = async function (options) {
  reportUsage(unknownCommandError(options.config, options.id), [options.id, ...(options.argv ?? [])])
}

export default hook
