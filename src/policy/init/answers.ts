// The answers `policy init` needs, their limits and their checks. Each check returns the problem
// as a message key (shown in the user's language at the prompt, or after the flag's name).
import {isIP} from 'node:net'

import type {Lang} from '../../i18n/lang.js'
import {type MessageKey, type Params, t} from '../../i18n/messages.js'
import {hostBitsSet, networkOf, parseCidr} from './cidr.js'

export interface InitAnswers {
  unitZh: string
  unitEn: string
  /** Whom the person at a cut-off PC calls (office or person), in each language. */
  contactZh: string
  contactEn: string
  /** The district's 网信 (cyberspace affairs office) and 公安 (police) numbers for incidents. */
  wangxinPhone: string
  policePhone: string
  /** [] means no Wi-Fi network is approved (a wired-only office). */
  ssids: string[]
  subnets: string[]
  vpnAlways: boolean
  kmsHosts: string[]
}

export type AnswerName = keyof InitAnswers

/** The flag that gives each answer, for scripts and for the "missing" message: in the order asked. */
export const ANSWER_FLAGS: Record<AnswerName, string> = {
  unitZh: 'unit-zh',
  unitEn: 'unit-en',
  contactZh: 'contact-zh',
  contactEn: 'contact-en',
  wangxinPhone: 'wangxin-phone',
  policePhone: 'police-phone',
  ssids: 'ssid',
  subnets: 'subnet',
  vpnAlways: 'vpn-always',
  kmsHosts: 'kms-host',
}

export const NAME_MAX = 100
export const PHONE_MAX = 32
export const SSID_MAX_BYTES = 32
/** A list answer (SSIDs, ranges, hosts) holds at most this many entries. */
export const LIST_MAX = 100
/** The schema's limit for policy.incident_contact, which the screen notice shows in one line. */
export const CONTACT_MAX = 120

export interface AnswerProblem {
  key: MessageKey
  params: Params
}

// Control characters (a terminal escape), line breaks and bidirectional overrides: never in a name
// that is printed on reports and on the screen of a cut-off PC.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/
const length = (value: string): number => [...value].length

export function checkName(value: string): AnswerProblem | undefined {
  if (value === '' || length(value) > NAME_MAX || UNPRINTABLE.test(value)) return {key: 'policyInit.bad.name', params: {max: NAME_MAX, value}}
  return undefined
}

export function checkPhone(value: string): AnswerProblem | undefined {
  if (!/\d/.test(value) || length(value) > PHONE_MAX || UNPRINTABLE.test(value)) return {key: 'policyInit.bad.phone', params: {max: PHONE_MAX, value}}
  return undefined
}

export function checkSsid(value: string): AnswerProblem | undefined {
  if (value === '' || Buffer.byteLength(value, 'utf8') > SSID_MAX_BYTES || UNPRINTABLE.test(value)) return {key: 'policyInit.bad.ssid', params: {max: SSID_MAX_BYTES, value}}
  return undefined
}

export function checkSubnet(value: string): AnswerProblem | undefined {
  const cidr = parseCidr(value)
  if (!cidr) return {key: 'policyInit.bad.cidr', params: {value}}
  // 10.13.5.1/16 is almost always a typo for the range, or an address pasted whole: ask, never guess.
  if (hostBitsSet(cidr)) return {key: 'policyInit.bad.hostBits', params: {network: networkOf(cidr), value}}
  return undefined
}

/** A range that passed checkSubnet, in canonical form (IPv6 compressed, lower case). */
export const canonicalSubnet = (value: string): string => {
  const cidr = parseCidr(value)
  return cidr ? networkOf(cidr) : value
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i

/** A DNS name (ASCII labels) or an IP address, as Windows records a KMS host. */
export function checkHost(value: string): AnswerProblem | undefined {
  if (isIP(value) !== 0) return undefined
  if (value.length > 253 || !value.split('.').every((label) => LABEL.test(label))) return {key: 'policyInit.bad.host', params: {value}}
  return undefined
}

/** The contact line the screen notice shows: who to call, then the 网信 and 公安 numbers. */
export const contactText = (lang: Lang, who: string, wangxin: string, police: string): string => t(lang, 'policyInit.contactText', {police, wangxin, who})

/** The composed contact line must fit the notice (and the schema's limit). */
export function checkContact(lang: Lang, who: string, wangxin: string, police: string): AnswerProblem | undefined {
  const problem = checkName(who)
  if (problem) return problem
  const line = length(contactText(lang, who, wangxin, police))
  return line > CONTACT_MAX ? {key: 'policyInit.bad.contactTooLong', params: {length: line, max: CONTACT_MAX}} : undefined
}

/** A typed list: commas (either width), 、 and semicolons separate; blanks and repeats go. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\n]/).map((item) => item.trim()).filter((item) => item !== ''))]
}

/** The first problem among a list's items, or its length. */
export function checkList(values: string[], check: (value: string) => AnswerProblem | undefined): AnswerProblem | undefined {
  if (values.length > LIST_MAX) return {key: 'policyInit.bad.tooMany', params: {max: LIST_MAX}}
  for (const value of values) {
    const problem = check(value)
    if (problem) return problem
  }
  return undefined
}

export const problemText = (lang: Lang, problem: AnswerProblem): string => t(lang, problem.key, problem.params)
