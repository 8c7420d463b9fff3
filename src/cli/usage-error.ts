// oclif's parse errors as catalogue messages: which flag or argument is wrong and, where it has a
// fixed set, the values it takes. oclif's own texts are English and its error classes are not
// exported, so each is recognised by its shape (pinned @oclif/core ~4.14; test/cli/usage-error.test.ts).
import {stripVTControlCharacters} from 'node:util'

import type {Lang} from '../i18n/lang.js'
import {type MessageKey, type Params, t} from '../i18n/messages.js'
import {EXIT} from './exit-codes.js'
import {UserError} from './user-error.js'

interface Note {
  key: MessageKey
  params: Params
}

/** `nm-guard account add --help`: where the user reads how a command is called. */
export const helpCommand = (command: string): string => ['nm-guard', command, '--help'].filter(Boolean).join(' ')

/** A usage error (exit 2): its message, further notes (allowed values), and where to read more. */
export class UsageError extends UserError {
  override readonly exposeParams = true

  constructor(
    key: MessageKey,
    params: Params,
    /** The command's words (`account add`), or '' for the root. */
    public readonly command: string,
    public readonly notes: readonly Note[] = [],
  ) {
    super(key, params, EXIT.usage)
    this.name = 'UsageError'
  }

  override render(lang: Lang): string {
    const message = [super.render(lang), ...this.notes.map((note) => t(lang, note.key, note.params))].join(t(lang, 'cli.usage.join'))
    return t(lang, 'cli.usage.seeHelp', {help: helpCommand(this.command), message})
  }
}

interface FlagDef {
  dependsOn?: readonly string[]
  exclusive?: readonly string[]
  options?: readonly string[]
  required?: boolean
}

interface ArgDef {
  name?: string
  options?: readonly string[]
  required?: boolean
}

/** What the command declares: the flags (with the base flags) and the arguments. */
export interface Definitions {
  args: Readonly<Record<string, ArgDef>>
  flags: Readonly<Record<string, FlagDef>>
}

interface ParseState {
  input: {args: Record<string, ArgDef>; flags: Record<string, FlagDef>}
  output: {args: Record<string, unknown>; flags: Record<string, unknown>; metadata?: {flags?: Record<string, {setFromDefault?: boolean}>}}
}

const list = (items: readonly string[]): string => items.join(', ')
const dashed = (names: readonly string[]): string => list(names.map((name) => `--${name}`))
const argName = (name: string): string => name.toUpperCase()

/** The allowed values of each named flag or argument that has a fixed set. */
function allowedNotes(entries: [string, {options?: readonly string[]} | undefined][]): Note[] {
  return entries.filter(([, def]) => def?.options?.length).map(([name, def]) => ({key: 'cli.usage.allowed', params: {name, options: list(def?.options ?? [])}}))
}

/** Everything wrong with what was given, worked out again from oclif's parse (its messages stop at the first). */
function fromParse(parse: ParseState, command: string, defs: Definitions): UsageError | undefined {
  const {input, output} = parse
  const given = (name: string) => output.flags[name] !== undefined && !output.metadata?.flags?.[name]?.setFromDefault
  const problems: Note[] = []
  const missingArgs = Object.entries(input.args).filter(([name, arg]) => arg.required && output.args[name] === undefined)
  if (missingArgs.length > 0) problems.push({key: 'cli.usage.missingArgs', params: {args: list(missingArgs.map(([name]) => argName(name)))}})
  const missingFlags = Object.entries(input.flags).filter(([name, flag]) => flag.required && output.flags[name] === undefined)
  if (missingFlags.length > 0) problems.push({key: 'cli.usage.missingFlags', params: {flags: dashed(missingFlags.map(([name]) => name))}})
  const seen = new Set<string>()
  for (const [name, flag] of Object.entries(input.flags)) {
    if (!given(name)) continue
    for (const other of flag.exclusive ?? []) {
      const pair = [name, other].sort().join(' ')
      if (given(other) && !seen.has(pair)) {
        seen.add(pair)
        problems.push({key: 'cli.usage.exclusive', params: {flag: name, other}})
      }
    }
    const absent = (flag.dependsOn ?? []).filter((other) => output.flags[other] === undefined)
    if (absent.length > 0) problems.push({key: 'cli.usage.dependsOn', params: {flag: name, others: dashed(absent)}})
  }
  const [first, ...rest] = problems
  if (!first) return undefined
  const notes = allowedNotes([
    ...missingArgs.map(([name, arg]): [string, ArgDef] => [argName(name), arg]),
    ...missingFlags.map(([name]): [string, FlagDef | undefined] => [`--${name}`, defs.flags[name] ?? input.flags[name]]),
  ])
  return new UsageError(first.key, first.params, command, [...rest, ...notes])
}

/** The line of an oclif message that says what is wrong (after its "The following error occurred:" header). */
function reasonLine(message: string): string {
  const lines = stripVTControlCharacters(message).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^The following errors? occurred:?$/.test(line))
  return lines[0] ?? message
}

/** A flag whose value its parser refused (Flags.integer's bounds, or any other parser's reason). */
function badValue(flag: string, reason: string, command: string): UsageError {
  let m = /^Expected an integer but received: (.*)$/.exec(reason)
  if (m) return new UsageError('cli.usage.notInteger', {flag, value: m[1] ?? ''}, command)
  m = /^Expected an integer greater than or equal to (-?\d+) but received: (.*)$/.exec(reason)
  if (m) return new UsageError('cli.usage.tooSmall', {flag, min: m[1] ?? '', value: m[2] ?? ''}, command)
  m = /^Expected an integer less than or equal to (-?\d+) but received: (.*)$/.exec(reason)
  if (m) return new UsageError('cli.usage.tooLarge', {flag, max: m[1] ?? '', value: m[2] ?? ''}, command)
  return new UsageError('cli.usage.badValue', {flag, reason}, command)
}

/**
 * The UsageError for one of oclif's parse errors, or undefined for anything else. `command` is the
 * command's words (`account add`); `defs` its flags and arguments, for the allowed values.
 */
export function usageErrorOf(err: unknown, command: string, defs: Definitions): UsageError | undefined {
  if (err instanceof UserError || !(err instanceof Error)) return undefined
  const e = err as Error & {args?: unknown[]; flags?: unknown[]; parse?: ParseState}
  // oclif's parse errors end with a line pointing at --help; ours says which help.
  const message = e.message.replace(/\nSee more help with --help$/, '')
  if (e.parse?.input && Array.isArray(e.flags)) return new UsageError('cli.usage.unknownFlags', {flags: list(e.flags.map(String))}, command)
  if (e.parse?.input && Array.isArray(e.args) && typeof e.args[0] === 'string') return new UsageError('cli.usage.unexpectedArgs', {args: list(e.args.map(String))}, command)
  let m = /^Expected --([\w-]+)=([\s\S]*) to be one of: /.exec(message)
  if (m) {
    const flag = m[1] as string
    return new UsageError('cli.usage.badOption', {flag, options: list(defs.flags[flag]?.options ?? []), value: m[2] ?? ''}, command)
  }
  m = /^Expected ([\s\S]*) to be one of: (.*)$/.exec(message)
  if (m) {
    const options = m[2] as string
    const arg = Object.entries(defs.args).find(([, def]) => list(def.options ?? []) === options)
    return new UsageError('cli.usage.badArgOption', {arg: argName(arg?.[0] ?? '?'), options, value: m[1] ?? ''}, command)
  }
  if (e.parse?.input && e.parse.output) {
    const found = fromParse(e.parse, command, defs)
    if (found) return found
  }
  m = /^Flag --([\w-]+) expects (?:a value|one of these values)/.exec(message)
  if (m) {
    const flag = m[1] as string
    return new UsageError('cli.usage.needsValue', {flag}, command, allowedNotes([[`--${flag}`, defs.flags[flag]]]))
  }
  m = /^Flag --([\w-]+) can only be specified once/.exec(message)
  if (m) return new UsageError('cli.usage.once', {flag: m[1] as string}, command)
  m = /^Parsing --([\w-]+) \n\t(.*)/.exec(message)
  if (m) return badValue(m[1] as string, m[2] as string, command)
  m = /^Unexpected flag (.*)$/.exec(message)
  if (m) return new UsageError('cli.usage.unknownFlags', {flags: m[1] as string}, command)
  // A parse error of a kind nm-guard's commands do not declare (exactlyOne, atLeastOne, …): oclif's reason, framed.
  if (e.parse) return new UsageError('cli.usage.other', {reason: reasonLine(message)}, command)
  return undefined
}
