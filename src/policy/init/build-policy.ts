// A district's policy made from the default's text: the same checks, unchanged, with the
// district's answers in `variables` and `policy`. Edited as a YAML Document so every comment of
// the default (what each variable means, why each check exists) stays in the district's file.
import {isDeepStrictEqual} from 'node:util'

import {type Document, isMap, isNode, type Node, parse, parseDocument, YAMLMap} from 'yaml'

import {t} from '../../i18n/messages.js'
import {canonicalSubnet, contactText, type InitAnswers} from './answers.js'

export interface BuildInput {
  /** The default policy's text. */
  defaultText: string
  /** "gaocheng-2023 1.0.0": the default's id and version, named in the header. */
  base: string
  answers: InitAnswers
  /** The day it is made (YYYY-MM-DD), in the header. */
  date: string
}

/** A policy id from the unit's English name: district-gaocheng-district-office. */
export function districtId(unitEn: string): string {
  const slug = unitEn
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-')
    .slice(0, 48)
    .replaceAll(/^-+|-+$/g, '')
  return slug === '' ? 'district' : `district-${slug}`
}

const SAME_STYLE = {flowCollectionPadding: false, lineWidth: 0}

export function buildDistrictPolicy(input: BuildInput): string {
  const {answers} = input
  const doc = parseDocument(input.defaultText)
  if (doc.errors.length > 0) throw doc.errors[0]
  const meta = doc.get('policy', true)
  // The caller validated the default, and the schema requires `policy`; `variables` may be absent.
  if (!isMap(meta)) throw new Error('the default policy has no policy map')
  const found = doc.get('variables', true)
  const variables = isMap(found) ? found : new YAMLMap()
  if (variables !== found) doc.set('variables', variables)

  replace(doc, meta, 'id', districtId(answers.unitEn))
  replace(doc, meta, 'title', text(t('zh-CN', 'policyInit.policyTitle', {unit: answers.unitZh}), t('en', 'policyInit.policyTitle', {unit: answers.unitEn})))
  replace(doc, meta, 'unit', text(answers.unitZh, answers.unitEn))
  const contact = text(
    contactText('zh-CN', answers.contactZh, answers.wangxinPhone, answers.policePhone),
    contactText('en', answers.contactEn, answers.wangxinPhone, answers.policePhone),
  )
  if (meta.has('incident_contact')) replace(doc, meta, 'incident_contact', contact)
  else insertAfter(doc, meta, 'unit', 'incident_contact', contact)

  replace(doc, variables, 'unit_name', answers.unitZh)
  replace(doc, variables, 'approved_ssids', answers.ssids, true)
  replace(doc, variables, 'approved_subnets', answers.subnets.map(canonicalSubnet), true)
  replace(doc, variables, 'vpn_required_always', answers.vpnAlways)
  replace(doc, variables, 'approved_kms_hosts', answers.kmsHosts, true)

  const header = (['en', 'zh-CN'] as const).flatMap((lang) => t(lang, 'policyInit.fileHeader', {base: input.base, date: input.date}).split('\n'))
  doc.commentBefore = [...header.map((line) => ` ${line}`), '', doc.commentBefore ?? ''].join('\n')
  return keepCommentColumns(doc.toString(SAME_STYLE), input.defaultText, doc.toJS())
}

/** Chinese first, as every text in the default. */
const text = (zh: string, en: string): {zh: string; en: string} => ({zh, en})

/**
 * The Document API writes one space before a trailing comment; the default aligns them in a
 * column. A line that differs from one of the default's only there is given back as the default has it.
 */
function keepCommentColumns(out: string, original: string, data: unknown): string {
  const key = (line: string): string => line.replace(/(\S)\s+#\s/, '$1 # ')
  const aligned = new Map(original.split('\n').map((line) => [key(line), line]))
  const restored = out
    .split('\n')
    .map((line) => aligned.get(key(line)) ?? line)
    .join('\n')
  // Spaces before a "#" inside a quoted string are data: should one have been changed, keep the plain output.
  return isDeepStrictEqual(parse(restored), data) ? restored : out
}

/** Sets `key` to a new node, keeping the old value's comments (`# the district's own KMS host(s)`). */
function replace(doc: Document, map: YAMLMap, key: string, value: unknown, flow = false): void {
  const old = map.get(key, true) as unknown
  const node = doc.createNode(value, {flow}) as Node
  if (isNode(old)) {
    node.comment = old.comment
    node.commentBefore = old.commentBefore
    node.spaceBefore = old.spaceBefore
  }
  map.set(key, node)
}

/**
 * Adds `key` after `after`. The comment that describes it in the default sits above the key that
 * follows (where the commented-out example is), so it moves onto the new key.
 */
function insertAfter(doc: Document, map: YAMLMap, after: string, key: string, value: unknown): void {
  const at = map.items.findIndex((pair) => (isNode(pair.key) ? (pair.key as {value?: unknown}).value : pair.key) === after) + 1
  const pair = doc.createPair(key, value)
  const next = map.items[at]?.key
  if (isNode(next) && next.commentBefore?.includes(key)) {
    ;(pair.key as Node).commentBefore = next.commentBefore
    next.commentBefore = undefined
  }
  map.items.splice(at, 0, pair)
}
