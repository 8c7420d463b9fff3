// The questions `policy init` asks on a terminal, in the user's language, for the answers its
// flags left open. Streams are passed in, so tests drive it like a terminal.
import {PassThrough, type Writable} from 'node:stream'

import {checkbox, confirm, input} from '@inquirer/prompts'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import type {Lang} from '../../i18n/lang.js'
import {type MessageKey, t} from '../../i18n/messages.js'
import {
  type AnswerProblem,
  checkContact,
  checkHost,
  checkList,
  checkName,
  checkPhone,
  checkSsid,
  checkSubnet,
  type InitAnswers,
  problemText,
  splitList,
} from './answers.js'
import type {CurrentNetworks} from './current-networks.js'

export interface AskContext {
  lang: Lang
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
}

/** `offered`: the PC's networks, pre-selected, and the default policy's vpn_required_always. */
export async function askMissing(given: Partial<InitAnswers>, offered: CurrentNetworks & {vpnAlways: boolean}, ctx: AskContext): Promise<InitAnswers> {
  try {
    return await ask(given, offered, ctx)
  } catch (error) {
    // Ctrl-C or a closed terminal: nothing has been written yet, and nothing will be.
    if ((error as Error).name === 'ExitPromptError' || (error as Error).name === 'AbortPromptError') throw new UserError('policyInit.cancelled', {}, EXIT.error)
    throw error
  }
}

async function ask(given: Partial<InitAnswers>, offered: CurrentNetworks & {vpnAlways: boolean}, ctx: AskContext): Promise<InitAnswers> {
  const {lang} = ctx
  // Each prompt ends the stream it writes to when done: give it its own, so the caller's stays open.
  const context = (): {input: NodeJS.ReadableStream; output: NodeJS.WritableStream} => {
    const output = new PassThrough()
    output.pipe(ctx.output as NodeJS.WritableStream & Writable, {end: false})
    // The terminal's width, for wrapping long questions (the prompt reads it off the stream it is given).
    Object.assign(output, {columns: (ctx.output as {columns?: number}).columns, rows: (ctx.output as {rows?: number}).rows})
    return {input: ctx.input, output}
  }
  const tr = (key: MessageKey): string => t(lang, key)
  const valid = (check: (value: string) => AnswerProblem | undefined) => (value: string) => {
    const problem = check(value.trim())
    return problem ? problemText(lang, problem) : true
  }
  const text = async (key: MessageKey, check: (value: string) => AnswerProblem | undefined): Promise<string> =>
    (await input({message: tr(key), validate: valid(check)}, context())).trim()

  const unitZh = given.unitZh ?? (await text('policyInit.ask.unitZh', checkName))
  const unitEn = given.unitEn ?? (await text('policyInit.ask.unitEn', checkName))
  const wangxinPhone = given.wangxinPhone ?? (await text('policyInit.ask.wangxinPhone', checkPhone))
  const policePhone = given.policePhone ?? (await text('policyInit.ask.policePhone', checkPhone))
  // Asked after the numbers: the whole line (who, then both numbers) must fit the screen notice.
  const contactZh = given.contactZh ?? (await text('policyInit.ask.contactZh', (who) => checkContact('zh-CN', who, wangxinPhone, policePhone)))
  const contactEn = given.contactEn ?? (await text('policyInit.ask.contactEn', (who) => checkContact('en', who, wangxinPhone, policePhone)))

  const list = async (offeredKey: MessageKey, moreKey: 'policyInit.ask.ssidsMore' | 'policyInit.ask.subnetsMore', current: string[], check: (value: string) => AnswerProblem | undefined, atLeastOne: boolean): Promise<string[]> => {
    const chosen = current.length === 0 ? [] : await checkbox({choices: current.map((value) => ({checked: true, value})), instructions: tr('policyInit.ask.checkboxKeys'), message: tr(offeredKey)}, context())
    const more = await input(
      {
        message: tr(current.length === 0 ? `${moreKey}.none` : moreKey),
        validate: (value: string) => {
          const items = splitList(value)
          if (atLeastOne && chosen.length + items.length === 0) return tr('policyInit.bad.noSubnet')
          const problem = checkList(items, check)
          return problem ? problemText(lang, problem) : true
        },
      },
      context(),
    )
    return [...new Set([...chosen, ...splitList(more)])]
  }
  const ssids = given.ssids ?? (await list('policyInit.ask.ssidsOffered', 'policyInit.ask.ssidsMore', offered.ssids, checkSsid, false))
  const subnets = given.subnets ?? (await list('policyInit.ask.subnetsOffered', 'policyInit.ask.subnetsMore', offered.subnets, checkSubnet, true))
  const vpnAlways = given.vpnAlways ?? (await confirm({default: offered.vpnAlways, message: tr('policyInit.ask.vpnAlways')}, context()))
  const kmsHosts =
    given.kmsHosts ??
    splitList(
      await input(
        {
          message: tr('policyInit.ask.kmsHosts'),
          validate: (value: string) => {
            const problem = checkList(splitList(value), checkHost)
            return problem ? problemText(lang, problem) : true
          },
        },
        context(),
      ),
    )
  return {contactEn, contactZh, kmsHosts, policePhone, ssids, subnets, unitEn, unitZh, vpnAlways, wangxinPhone}
}
