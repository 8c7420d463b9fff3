// `policy init`'s answers from its flags: each checked as the prompt would check it, a bad one
// refused as a usage error naming its flag; without a terminal, the ones still missing are named.
import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {
  ANSWER_FLAGS,
  type AnswerName,
  type AnswerProblem,
  checkContact,
  checkHost,
  checkList,
  checkName,
  checkPhone,
  checkSsid,
  checkSubnet,
  type InitAnswers,
} from './answers.js'
import type {CurrentNetworks} from './current-networks.js'

export interface InitFlags {
  'unit-zh'?: string
  'unit-en'?: string
  'contact-zh'?: string
  'contact-en'?: string
  'wangxin-phone'?: string
  'police-phone'?: string
  ssid?: string[]
  'wired-only'?: boolean
  subnet?: string[]
  'vpn-always'?: boolean
  'kms-host'?: string[]
}

const badFlag = (name: AnswerName, problem: AnswerProblem): UserError =>
  new UserError('policyInit.badFlag', {flag: ANSWER_FLAGS[name]}, EXIT.usage, {key: problem.key, params: problem.params})

export function answersFromFlags(flags: InitFlags): Partial<InitAnswers> {
  const given: Partial<InitAnswers> = {}
  const text = (name: 'contactEn' | 'contactZh' | 'policePhone' | 'unitEn' | 'unitZh' | 'wangxinPhone', value: string | undefined, check: (v: string) => AnswerProblem | undefined): void => {
    if (value === undefined) return
    const trimmed = value.trim()
    const problem = check(trimmed)
    if (problem) throw badFlag(name, problem)
    given[name] = trimmed
  }
  const list = (name: 'kmsHosts' | 'ssids' | 'subnets', values: string[] | undefined, check: (v: string) => AnswerProblem | undefined): void => {
    if (values === undefined) return
    const items = [...new Set(values.map((value) => value.trim()))]
    const problem = checkList(items, check)
    if (problem) throw badFlag(name, problem)
    given[name] = items
  }
  text('unitZh', flags['unit-zh'], checkName)
  text('unitEn', flags['unit-en'], checkName)
  text('contactZh', flags['contact-zh'], checkName)
  text('contactEn', flags['contact-en'], checkName)
  text('wangxinPhone', flags['wangxin-phone'], checkPhone)
  text('policePhone', flags['police-phone'], checkPhone)
  list('ssids', flags['wired-only'] ? [] : flags.ssid, checkSsid)
  list('subnets', flags.subnet, checkSubnet)
  list('kmsHosts', flags['kms-host'], checkHost)
  if (flags['vpn-always'] !== undefined) given.vpnAlways = flags['vpn-always']
  return given
}

/**
 * The answers without a terminal: the flags, then (with --yes) the PC's current networks, the
 * default policy's VPN rule and no KMS host. Whatever is still open is a usage error naming its flags.
 */
export function completeAnswers(given: Partial<InitAnswers>, offered: CurrentNetworks | undefined, vpnDefault: boolean): InitAnswers {
  const answers: Partial<InitAnswers> = {kmsHosts: [], vpnAlways: vpnDefault, ...given}
  if (offered) {
    answers.ssids ??= offered.ssids
    // No range found is no answer: an office has one, and [] would send every PC to the VPN.
    if (offered.subnets.length > 0) answers.subnets ??= offered.subnets
  }
  const missing = (Object.keys(ANSWER_FLAGS) as AnswerName[]).filter((name) => answers[name] === undefined || (name === 'subnets' && answers.subnets?.length === 0))
  if (missing.length > 0) {
    const flags = missing.map((name) => (name === 'ssids' ? '--ssid (or --wired-only)' : `--${ANSWER_FLAGS[name]}`))
    throw new UserError('policyInit.missing', {flags: flags.join(', ')}, EXIT.usage)
  }
  return answers as InitAnswers
}

/** What only the whole can show: the contact line, with both numbers, must fit the screen notice. */
export function lastChecks(answers: InitAnswers): void {
  const zh = checkContact('zh-CN', answers.contactZh, answers.wangxinPhone, answers.policePhone)
  if (zh) throw badFlag('contactZh', zh)
  const en = checkContact('en', answers.contactEn, answers.wangxinPhone, answers.policePhone)
  if (en) throw badFlag('contactEn', en)
}
