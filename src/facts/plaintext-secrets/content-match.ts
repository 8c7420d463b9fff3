// Does a file's content hold a managed password verbatim? Everything happens on buffers in memory:
// no text, no needle and no secret is written anywhere, logged or returned, only a yes or a no.
import {decodeText} from '../../os/decode-text.js'

/** How a file is searched, from its extension. */
export type ContentKind = 'binary' | 'text' | 'zip'

const TEXT = ['', 'bat', 'cfg', 'cmd', 'conf', 'csv', 'env', 'htm', 'html', 'ini', 'json', 'log', 'markdown', 'md', 'properties', 'ps1', 'reg', 'rtf', 'sh', 'sql', 'text', 'tsv', 'txt', 'xml', 'yaml', 'yml']
/** Office Open XML (Microsoft Office, WPS 2019+) and OpenDocument: zip containers of XML parts. */
const ZIP = ['docm', 'docx', 'dotx', 'odp', 'ods', 'odt', 'potx', 'pptm', 'pptx', 'xlsm', 'xlsx', 'xltx']
/** Legacy binary documents (OLE compound files), WPS's own .wps/.et/.dps among them. */
const BINARY = ['doc', 'dot', 'dps', 'et', 'ppt', 'wps', 'xls', 'xlt']

const KIND = new Map<string, ContentKind>([...TEXT.map((e) => [e, 'text'] as const), ...ZIP.map((e) => [e, 'zip'] as const), ...BINARY.map((e) => [e, 'binary'] as const)])

export function contentKind(fileName: string): ContentKind | null {
  const dot = fileName.lastIndexOf('.')
  return KIND.get(dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '') ?? null
}

/**
 * Shorter secrets are not searched for: "123456" would be found in any spreadsheet of numbers.
 * The strength rules already refuse them (length ≥ 8) unless an account was added with --force.
 */
export const MIN_SECRET_LENGTH = 6

/** A secret in every encoding a file may hold it in. */
interface Needle {
  text: string
  bytes: Buffer[]
}

/** What a search needs of the secrets; opaque, so callers cannot print it by accident. */
export class SecretNeedles {
  readonly #needles: Needle[]

  constructor(secrets: readonly string[]) {
    const unique = [...new Set(secrets)].filter((s) => [...s].length >= MIN_SECRET_LENGTH)
    this.#needles = unique.map((text) => {
      const utf8 = Buffer.from(text, 'utf8')
      const utf16le = Buffer.from(text, 'utf16le')
      const utf16be = Buffer.from(utf16le).swap16()
      const gbk = gbkEncode(text)
      const bytes: Buffer[] = [utf8, utf16le, utf16be]
      if (gbk && !gbk.equals(utf8)) bytes.push(gbk)
      return {bytes, text}
    })
  }

  get size(): number {
    return this.#needles.length
  }

  toJSON(): string {
    return `[${this.#needles.length} secrets]`
  }

  /** Raw bytes: UTF-8, UTF-16LE/BE or GBK (legacy .doc/.xls keep text as UTF-16LE or 8-bit). */
  inBytes(data: Uint8Array): boolean {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    return this.#needles.some((n) => n.bytes.some((b) => buf.includes(b)))
  }

  inText(text: string): boolean {
    return this.#needles.some((n) => text.includes(n.text))
  }
}

/**
 * A text file: decoded as decodeText sniffs it (BOMs, UTF-16LE, UTF-8, else GBK), then, for a file
 * mixing encodings, its raw bytes too.
 */
export function textHolds(data: Buffer, needles: SecretNeedles): boolean {
  return needles.inText(decodeText(data)) || needles.inBytes(data)
}

let fflate: typeof import('fflate') | undefined

/** The limits of one zip container: XML parts only, their declared sizes added up (zip bombs). */
export const ZIP_MAX_XML_BYTES = 16 * 1024 * 1024

/**
 * The parts that hold what a person typed: Word's body, headers, footers, notes and comments;
 * Excel's shared strings, sheets (inline strings, numbers) and comments; PowerPoint's slides and
 * notes; OpenDocument's content.xml. Styles, themes and settings are not opened: they are most
 * of a file's XML and hold no user text.
 */
const TEXT_PARTS = /^(?:word\/(?:document|header\d*|footer\d*|footnotes|endnotes|comments\w*)|xl\/(?:sharedStrings|worksheets\/sheet\d+|comments\d*)|ppt\/(?:slides\/slide\d+|notesSlides\/notesSlide\d+|comments\/\w+)|content)\.xml$/i

/**
 * An Office Open XML / OpenDocument file: its text parts are inflated in memory and their text
 * searched. Word splits one word into several runs (spelling, language changes), so runs are
 * joined; paragraphs and cells are kept apart so "1234" and "5678" in two cells do not make
 * "12345678".
 */
export async function zipHolds(data: Uint8Array, needles: SecretNeedles): Promise<boolean> {
  // Loaded on first use: most audits find no Office file to open.
  fflate ??= await import('fflate')
  let budget = ZIP_MAX_XML_BYTES
  const parts = fflate.unzipSync(data, {
    filter: (file) => {
      if (!TEXT_PARTS.test(file.name) || (file.compression !== 0 && file.compression !== 8)) return false
      if (file.originalSize > budget) return false
      budget -= file.originalSize
      return true
    },
  })
  return Object.values(parts).some((part) => needles.inText(xmlText(decodeText(part))))
}

/** Elements that end a paragraph, a cell, a shared string or a line. */
const BREAK = /<\/(?:w:p|a:p|w:tc|c|v|si|is|row|text:p|text:h|table:table-cell)>|<(?:w:tab|w:br|w:cr|a:br|text:tab|text:line-break)\b[^>]*\/>/g

export function xmlText(xml: string): string {
  return decodeEntities(xml.replaceAll(BREAK, '\n').replaceAll(/<[^>]*>/g, ''))
}

const NAMED: Record<string, string> = {amp: '&', apos: "'", gt: '>', lt: '<', quot: '"'}

function decodeEntities(text: string): string {
  return text.replaceAll(/&(#x[\da-f]+|#\d+|amp|apos|gt|lt|quot);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity.toLowerCase()] ?? whole
    const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10)
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

let gbkTable: Map<string, Buffer> | undefined

/** Two-byte GBK codes of every character, built once from the platform's GB18030 decoder. */
function buildGbkTable(): Map<string, Buffer> {
  const table = new Map<string, Buffer>()
  const decoder = new TextDecoder('gb18030')
  const trails: number[] = []
  for (let t = 0x40; t <= 0xfe; t++) if (t !== 0x7f) trails.push(t)
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    const row = Buffer.from(trails.flatMap((t) => [lead, t]))
    const chars = [...decoder.decode(row)]
    // Every two-byte code decodes to one character; if not, go pair by pair.
    const decoded = chars.length === trails.length ? chars : trails.map((t) => decoder.decode(Buffer.from([lead, t])))
    decoded.forEach((ch, i) => {
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, Buffer.from([lead, trails[i] as number]))
    })
  }
  return table
}

/** The GBK bytes of a text, or null when a character has no two-byte GBK code. */
export function gbkEncode(text: string): Buffer | null {
  const out: number[] = []
  for (const ch of text) {
    const code = ch.codePointAt(0) as number
    if (code < 0x80) {
      out.push(code)
      continue
    }
    gbkTable ??= buildGbkTable()
    const bytes = gbkTable.get(ch)
    if (!bytes) return null
    out.push(...bytes)
  }
  return Buffer.from(out)
}
