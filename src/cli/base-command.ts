// Every nm-guard command: --json with one envelope {status, result, warnings}, --lang, the exit
// codes of DESIGN.md, and errors as one translated line (a stack only when DEBUG is set).
import {Command, Flags, Interfaces} from '@oclif/core'

import {helpText} from '../i18n/help-text.js'
import {detectLang, type Lang, LANGS} from '../i18n/lang.js'
import {type MessageKey, type Params, t} from '../i18n/messages.js'
import {applyDirFlags} from './dir-flags.js'
import {EXIT} from './exit-codes.js'
import {helpCommand, usageErrorOf} from './usage-error.js'
import {errorJson, UserError} from './user-error.js'

export interface Envelope<T> {
  status: number
  result: T | null
  warnings: string[]
  error?: {name: string; message: string; key?: string; params?: Params}
}

export abstract class NmgCommand<T> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    lang: Flags.option({
      helpGroup: 'GLOBAL',
      options: LANGS,
      summary: helpText('help.lang'),
    })(),
    // Hidden: for the scheduled audit, whose Windows task cannot set NMG_STATE_DIR / NMG_CONFIG_DIR.
    'config-dir': Flags.string({helpGroup: 'GLOBAL', hidden: true}),
    'state-dir': Flags.string({helpGroup: 'GLOBAL', hidden: true}),
  }

  protected lang: Lang = 'en'
  protected readonly warnings: string[] = []

  override async init(): Promise<void> {
    await super.init()
    this.lang = detectLang(this.argv)
    // Before run(): whatever the command reads first, it finds the folders the flags name.
    applyDirFlags(this.argv)
  }

  protected t(key: MessageKey, params?: Params): string {
    return t(this.lang, key, params)
  }

  /** A warning kept for the JSON envelope, and shown on stderr otherwise. */
  protected addWarning(message: string): void {
    this.warnings.push(message)
    if (!this.jsonEnabled()) this.logToStderr(`${this.t('cli.warning')}: ${message}`)
  }

  protected override toSuccessJson(result: T): Envelope<T> {
    return {status: Number(process.exitCode ?? EXIT.ok), result, warnings: this.warnings}
  }

  protected override toErrorJson(err: unknown): Envelope<T> {
    return {
      status: Number(process.exitCode ?? EXIT.error),
      result: null,
      warnings: this.warnings,
      error: errorJson(err, this.messageOf(err)),
    }
  }

  override async catch(err: Interfaces.CommandError): Promise<void> {
    // oclif's parse errors become translated ones that name the flag; --lang was read from argv in init().
    const shown = usageErrorOf(err, commandWords(this.id), {args: this.ctor.args ?? {}, flags: {...this.ctor.baseFlags, ...this.ctor.flags}}) ?? err
    process.exitCode = exitCodeOf(shown)
    // A flag that failed to parse was still parsed as far as oclif's development-mode warning goes.
    if (usageLike(err)) this.parsed = true
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(shown))
      return
    }
    this.logToStderr(`nm-guard: ${this.messageOf(shown)}`)
    if (process.env.DEBUG) this.logToStderr(err.stack ?? '')
  }

  /** One line: a translated UserError, or the first line of anything else. */
  protected messageOf(err: unknown, lang: Lang = this.lang): string {
    if (err instanceof UserError) return err.render(lang)
    const message = (err as Error)?.message ?? String(err)
    // oclif's parse errors open with a header line ("The following error occurred:"); the line
    // that says what is wrong comes after it.
    const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^The following errors? occurred:?/.test(line) && !/^See more help/.test(line))
    const first = (lines[0] ?? message).trim()
    return usageLike(err) ? t(lang, 'cli.usage.seeHelp', {help: helpCommand(commandWords(this.id)), message: first}) : first
  }
}

const commandWords = (id: string | undefined): string => id?.replaceAll(':', ' ') ?? ''

function usageLike(err: unknown): boolean {
  const e = err as {oclif?: {exit?: number}; parse?: unknown}
  return e?.parse !== undefined || e?.oclif?.exit === EXIT.usage
}

function exitCodeOf(err: unknown): number {
  if (err instanceof UserError) return err.exitCode
  if (usageLike(err)) return EXIT.usage
  const exit = (err as {oclif?: {exit?: number}})?.oclif?.exit
  return typeof exit === 'number' && exit > 0 ? exit : EXIT.error
}
