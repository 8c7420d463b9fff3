// Reading `password check --stdin`: lines as readline reads them, a line too long or not text
// refused on its own (the batch goes on), memory bounded whatever the input.
import {Readable} from 'node:stream'

import {expect} from 'chai'

import {formatRefusal, type InputLine, LineSplitter, MAX_LINE_CHARS, readPasswordLines, refusedVerdict} from '../../src/password/check-io.js'

async function lines(chunks: Array<Buffer | string>, maxChars?: number): Promise<InputLine[]> {
  const out: InputLine[] = []
  for await (const line of readPasswordLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), maxChars)) out.push(line)
  return out
}

const pw = (...passwords: string[]): InputLine[] => passwords.map((password) => ({password}))

describe('password/check-io', () => {
  it('reads LF, CR LF and CR line ends, without an extra line for a final newline', async () => {
    expect(await lines(['a\nb\r\nc\rd\n'])).to.deep.equal(pw('a', 'b', 'c', 'd'))
    expect(await lines(['a\nb'])).to.deep.equal(pw('a', 'b'))
    expect(await lines(['a\n\nb\n'])).to.deep.equal(pw('a', '', 'b'))
    expect(await lines([''])).to.deep.equal([])
  })

  it('joins lines and CR LF split across chunks, and UTF-8 characters split across them', async () => {
    const bytes = Buffer.from('İx\r\nGcq@2023\n')
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4, 5), bytes.subarray(5)])).to.deep.equal(pw('İx', 'Gcq@2023'))
  })

  it('drops a UTF-8 byte order mark at the start of the input only', async () => {
    expect(await lines([Buffer.from([0xef, 0xbb, 0xbf]), 'Gcq@2023\n\ufeffx\n'])).to.deep.equal(pw('Gcq@2023', '\ufeffx'))
  })

  it('refuses a line over 1,000 characters and goes on with the next', async () => {
    expect(MAX_LINE_CHARS).to.equal(1000)
    const atLimit = 'é'.repeat(1000)
    expect(await lines([`${atLimit}\n${atLimit}é\nGcq@2023\n`])).to.deep.equal([{password: atLimit}, {refused: 'too-long'}, {password: 'Gcq@2023'}])
  })

  it('holds no more than 4,000 bytes of a huge line, and reads the next line after it', () => {
    const splitter = new LineSplitter()
    const chunk = Buffer.alloc(65_536, 0x61)
    let held = 0
    // 16 MiB without a newline.
    for (let k = 0; k < 256; k++) {
      expect(splitter.push(chunk)).to.deep.equal([])
      held = Math.max(held, splitter.buffered)
    }
    expect(held).to.be.at.most(4 * MAX_LINE_CHARS)
    expect(splitter.push(Buffer.from('\nk8#Rq2!vXz9L'))).to.deep.equal([{refused: 'too-long'}])
    expect(splitter.end()).to.deep.equal([{password: 'k8#Rq2!vXz9L'}])
  })

  it('refuses a line with a NUL byte or invalid UTF-8 as not text, and goes on', async () => {
    const input = [Buffer.from('abc\u0000def\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from([0xed, 0xa0, 0x80, 0x0a]), 'Gcq@2023\n']
    expect(await lines(input)).to.deep.equal([{refused: 'not-text'}, {refused: 'not-text'}, {refused: 'not-text'}, {password: 'Gcq@2023'}])
  })

  it('words a refusal in both languages, weak with score 0, never quoting the line', () => {
    const v = refusedVerdict('too-long')
    expect(v).to.include({score: 0, weak: true})
    expect(v.reasons).to.deep.equal([{code: 'too-long', en: 'longer than 1000 characters', zh: '超过 1000 个字符'}])
    expect(formatRefusal(v, 'en')).to.equal('not judged: longer than 1000 characters')
    expect(formatRefusal(refusedVerdict('not-text'), 'zh-CN')).to.equal('未评估：不是文本（含 NUL 字节或无效的 UTF-8）')
  })
})
