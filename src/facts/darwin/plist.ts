// Property lists. Apple's XML plists (InstallHistory.plist, bundle Info.plists) are parsed here;
// binary ones are first turned into XML by `plutil -convert xml1 -o -`, which also reads the XML
// ones unchanged, so every plist goes through that one command.
import type {Exec} from '../types.js'
import {TOOLS} from '../../os/tools.darwin.js'

export interface PlistDict {
  [key: string]: PlistValue
}
export type PlistValue = boolean | Date | number | PlistDict | PlistValue[] | string | Uint8Array

/** Parses an XML property list; throws on text that is not one. */
export function parsePlistXml(xml: string): PlistValue {
  const tokens = tokenize(xml)
  let i = 0
  const next = (): Token => {
    while (i < tokens.length) {
      const token = tokens[i++] as Token
      if (token.kind === 'text' && token.text.trim() === '') continue
      return token
    }
    throw new Error('plist: unexpected end of input')
  }
  const textUntil = (name: string): string => {
    let text = ''
    for (;;) {
      const token = tokens[i++]
      if (!token) throw new Error(`plist: unterminated <${name}>`)
      if (token.kind === 'text') text += token.text
      else if (token.kind === 'close' && token.name === name) return decodeEntities(text)
      else throw new Error(`plist: unexpected <${token.name}> inside <${name}>`)
    }
  }
  const value = (open: Token): PlistValue => {
    if (open.kind !== 'open') throw new Error(`plist: expected a value, got ${open.kind === 'text' ? 'text' : `</${open.name}>`}`)
    const scalar = (): string => (open.selfClosing ? '' : textUntil(open.name))
    switch (open.name) {
      case 'dict': {
        const dict: PlistDict = {}
        if (open.selfClosing) return dict
        for (;;) {
          const token = next()
          if (token.kind === 'close' && token.name === 'dict') return dict
          if (token.kind !== 'open' || token.name !== 'key') throw new Error('plist: expected <key> in <dict>')
          const key = token.selfClosing ? '' : textUntil('key')
          dict[key] = value(next())
        }
      }
      case 'array': {
        const list: PlistValue[] = []
        if (open.selfClosing) return list
        for (;;) {
          const token = next()
          if (token.kind === 'close' && token.name === 'array') return list
          list.push(value(token))
        }
      }
      case 'string':
        return scalar()
      case 'integer':
      case 'real':
        return Number(scalar().trim())
      case 'true':
        return true
      case 'false':
        return false
      case 'date':
        return new Date(scalar().trim())
      case 'data':
        return Uint8Array.from(Buffer.from(scalar().replaceAll(/\s+/g, ''), 'base64'))
      default:
        throw new Error(`plist: unknown element <${open.name}>`)
    }
  }
  const root = next()
  if (root.kind === 'open' && root.name === 'plist') {
    const result = value(next())
    return result
  }
  return value(root)
}

/**
 * Reads a plist through plutil (which also converts binary plists). Null when the file is missing
 * or unreadable: callers decide whether that matters.
 */
export async function readPlist(exec: Exec, path: string, timeoutMs = 10_000): Promise<null | PlistValue> {
  const result = await exec(TOOLS.plutil, ['-convert', 'xml1', '-o', '-', path], {timeoutMs})
  if (result.code !== 0 || !result.stdout.trim()) return null
  try {
    return parsePlistXml(result.stdout)
  } catch {
    return null
  }
}

export const isDict = (value: PlistValue | undefined | null): value is PlistDict =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)

export const dictString = (dict: PlistDict, key: string): null | string => {
  const v = dict[key]
  return typeof v === 'string' ? v : null
}

type Token = {kind: 'close'; name: string} | {kind: 'open'; name: string; selfClosing: boolean} | {kind: 'text'; text: string}

function tokenize(xml: string): Token[] {
  const tokens: Token[] = []
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z][\w.-]*)([^>]*?)(\/?)>|[^<]+/g
  for (const m of xml.matchAll(re)) {
    const [whole, slash, name, , selfClose] = m
    if (whole.startsWith('<!--') || whole.startsWith('<?') || whole.startsWith('<!')) continue
    if (name === undefined) tokens.push({kind: 'text', text: whole})
    else if (slash) tokens.push({kind: 'close', name})
    else tokens.push({kind: 'open', name, selfClosing: selfClose === '/'})
  }
  return tokens
}

function decodeEntities(text: string): string {
  return text.replaceAll(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase()
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10))
    return {amp: '&', apos: "'", gt: '>', lt: '<', quot: '"'}[e] ?? ''
  })
}
