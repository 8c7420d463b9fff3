// Input and output of `nm-guard password check`: passwords one per line, results one per line.
// A result line holds the score, weak or ok and the reasons — never the password.
import type {Readable} from 'node:stream'

import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {weakReason} from './reasons.js'
import type {Verdict} from './types.js'

/** A line longer than this (in characters) is not judged: no password is that long, a stray file is. */
export const MAX_LINE_CHARS = 1000
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** Why a line is not judged. */
export type Refusal = 'not-text' | 'too-long'

export type InputLine = {password: string} | {refused: Refusal}

/**
 * Cuts bytes into lines (ending in LF, CR LF or CR, as readline reads them), without their endings;
 * no extra line for a final newline. A line over `maxChars` characters, or that is not text (a NUL
 * byte, invalid UTF-8), comes as a refusal, and the lines after it are read as usual. It holds at
 * most 4 × maxChars bytes of a line (UTF-8 spends at most 4 bytes on a character: past that a line
 * is too long whatever it holds, and the rest of it is skipped).
 */
export class LineSplitter {
  private parts: Buffer[] = []
  private size = 0
  private over = false
  private first = true
  /** A CR ended the last chunk: an LF starting the next one belongs to it. */
  private afterCr = false
  private readonly maxBytes: number

  constructor(private readonly maxChars = MAX_LINE_CHARS) {
    this.maxBytes = 4 * maxChars
  }

  /** Bytes of the current line held in memory. */
  get buffered(): number {
    return this.size
  }

  push(buffer: Buffer): InputLine[] {
    const out: InputLine[] = []
    let start = this.afterCr && buffer[0] === 0x0a ? 1 : 0
    this.afterCr = false
    while (start <= buffer.length) {
      const end = lineEnd(buffer, start)
      this.keep(buffer.subarray(start, end < 0 ? buffer.length : end))
      if (end < 0) break
      out.push(this.finish())
      if (buffer[end] === 0x0d && end + 1 === buffer.length) {
        this.afterCr = true
        break
      }
      start = buffer[end] === 0x0d && buffer[end + 1] === 0x0a ? end + 2 : end + 1
    }
    return out
  }

  /** The last line, when the input does not end with a newline. */
  end(): InputLine[] {
    return this.size > 0 || this.over ? [this.finish()] : []
  }

  private keep(piece: Buffer): void {
    if (!this.over && this.size + piece.length > this.maxBytes) {
      this.over = true
      this.parts = []
      this.size = 0
    }
    if (this.over || piece.length === 0) return
    // A copy: a slice would pin the whole chunk it came from.
    this.parts.push(Buffer.from(piece))
    this.size += piece.length
  }

  private finish(): InputLine {
    const bytes = Buffer.concat(this.parts, this.size)
    const tooLong = this.over
    const first = this.first
    this.parts = []
    this.size = 0
    this.over = false
    this.first = false
    if (tooLong) return {refused: 'too-long'}
    return lineOf(first && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes, this.maxChars)
  }
}

/** The lines of `input`, as LineSplitter cuts them. */
export async function* readPasswordLines(input: Readable, maxChars = MAX_LINE_CHARS): AsyncGenerator<InputLine> {
  const splitter = new LineSplitter(maxChars)
  for await (const chunk of input as AsyncIterable<Buffer | string>) yield* splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)
  yield* splitter.end()
}

const lineEnd = (buffer: Buffer, from: number): number => {
  for (let k = from; k < buffer.length; k++) if (buffer[k] === 0x0a || buffer[k] === 0x0d) return k
  return -1
}

const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

function lineOf(bytes: Buffer, maxChars: number): InputLine {
  if (bytes.includes(0)) return {refused: 'not-text'}
  let password: string
  try {
    password = utf8.decode(bytes)
  } catch {
    return {refused: 'not-text'}
  }
  if (password.length > maxChars && [...password].length > maxChars) return {refused: 'too-long'}
  return {password}
}

/** The result of a refused line: weak, score 0, the reason saying it was not judged. */
export function refusedVerdict(refusal: Refusal): Verdict {
  return {reasons: [weakReason(refusal, {max: MAX_LINE_CHARS})], score: 0, weak: true}
}

export function formatVerdict(verdict: Verdict, lang: Lang): string {
  if (!verdict.weak) return t(lang, 'password.result.ok', {score: verdict.score})
  const words = verdict.reasons.map((r) => (lang === 'zh-CN' ? r.zh : r.en))
  return t(lang, 'password.result.weak', {reasons: words.join(t(lang, 'password.reasonSeparator')), score: verdict.score})
}

export function formatRefusal(verdict: Verdict, lang: Lang): string {
  const words = verdict.reasons.map((r) => (lang === 'zh-CN' ? r.zh : r.en))
  return t(lang, 'password.result.refused', {reason: words.join(t(lang, 'password.reasonSeparator'))})
}
