// oclif's help in one language: --lang, else the locale. The manifest holds English (helpText);
// each text is looked up in the catalogues at display time, as are oclif's own headings and markers.
import {type Command, CommandHelp, Help, type Interfaces} from '@oclif/core'

import {translateHelp} from '../i18n/help-text.js'
import {detectLang, type Lang, langFlag} from '../i18n/lang.js'
import {type MessageKey, t} from '../i18n/messages.js'
import {reportUsage, unknownCommandError} from './command-not-found.js'

/** oclif's section headings (GLOBAL FLAGS: the helpGroup of --json and --lang) and their keys. */
export const HEADINGS: Readonly<Record<string, MessageKey>> = {
  ALIASES: 'help.heading.aliases',
  ARGUMENTS: 'help.heading.arguments',
  COMMANDS: 'help.heading.commands',
  DESCRIPTION: 'help.heading.description',
  EXAMPLES: 'help.heading.examples',
  'FLAG DESCRIPTIONS': 'help.heading.flagDescriptions',
  FLAGS: 'help.heading.flags',
  'GLOBAL FLAGS': 'help.heading.globalFlags',
  TOPICS: 'help.heading.topics',
  USAGE: 'help.heading.usage',
  VERSION: 'help.heading.version',
}

function heading(lang: Lang, header: string): string {
  const key = HEADINGS[header]
  return key ? t(lang, key) : header
}

/** The `--lang X` / `--lang=X` words, which name no help subject. */
export function withoutLang(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string
    if (word === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (word === '--lang') i++
    else if (!word.startsWith('--lang=')) out.push(word)
  }
  return out
}

function translateCommand(lang: Lang, command: Command.Loadable): Command.Loadable {
  const flags = Object.fromEntries(
    Object.entries(command.flags ?? {}).map(([name, flag]) => [name, {...flag, description: translateHelp(lang, flag.description), summary: translateHelp(lang, flag.summary)}]),
  )
  const args = Object.fromEntries(Object.entries(command.args ?? {}).map(([name, arg]) => [name, {...arg, description: translateHelp(lang, arg.description)}]))
  return {...command, args, description: translateHelp(lang, command.description), flags, summary: translateHelp(lang, command.summary)} as Command.Loadable
}

const translateTopic = (lang: Lang, topic: Interfaces.Topic): Interfaces.Topic => ({...topic, description: translateHelp(lang, topic.description)})

class NmgCommandHelp extends CommandHelp {
  constructor(
    command: Command.Loadable,
    config: Interfaces.Config,
    opts: Interfaces.HelpOptions,
    private readonly lang: Lang,
  ) {
    super(command, config, opts)
  }

  override section(header: string, body: Parameters<CommandHelp['section']>[1]): string {
    return super.section(heading(this.lang, header), body)
  }

  // The markers oclif writes before and after a flag's summary.
  protected override flags(flags: Command.Flag.Any[]): [string, string | undefined][] | undefined {
    return super.flags(flags)?.map(([left, right]) => [
      left,
      right
        ?.replace('(required)', t(this.lang, 'help.marker.required'))
        .replace('[default: ', `[${t(this.lang, 'help.marker.default')}: `)
        .replace('<options: ', `<${t(this.lang, 'help.marker.options')}: `),
    ])
  }
}

export default class NmgHelp extends Help {
  private lang: Lang

  constructor(config: Interfaces.Config, opts: Partial<Interfaces.HelpOptions> = {}) {
    super(config, opts)
    this.lang = detectLang(process.argv.slice(2))
  }

  override async showHelp(argv: string[]): Promise<void> {
    // `nm-guard --lang zh-CN --help audit`: oclif would take the flag's value for the subject. (The
    // help command's argv has none: help-lang-hook.ts took it out, and the constructor read it.)
    this.lang = langFlag(argv) ?? this.lang
    try {
      await super.showHelp(withoutLang(argv))
    } catch (error) {
      // `nm-guard help nope`: oclif's English error and stack trace.
      const missing = /^Command (\S+) not found\.?$/.exec((error as Error)?.message ?? '')
      if (!missing) throw error
      reportUsage(unknownCommandError(this.config, missing[1] as string), argv, this.lang)
    }
  }

  override showCommandHelp(command: Command.Loadable): Promise<void> {
    return super.showCommandHelp(translateCommand(this.lang, command))
  }

  override section(header: string, body: Parameters<Help['section']>[1]): string {
    return super.section(heading(this.lang, header), body)
  }

  /** oclif's root help, with the package's description in the user's language. */
  override formatRoot(): string {
    const description = translateHelp(this.lang, this.config.pjson.description ?? '')
    return [description, this.section('VERSION', this.wrap(this.config.userAgent)), this.section('USAGE', this.wrap(`$ ${this.config.bin} [COMMAND]`))].filter(Boolean).join('\n\n')
  }

  protected override formatCommands(commands: Command.Loadable[]): string {
    return super.formatCommands(commands.map((command) => translateCommand(this.lang, command)))
  }

  protected override formatTopic(topic: Interfaces.Topic): string {
    return super.formatTopic(translateTopic(this.lang, topic))
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map((topic) => translateTopic(this.lang, topic)))
  }

  protected override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new NmgCommandHelp(command, this.config, this.opts, this.lang)
  }
}
