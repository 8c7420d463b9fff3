import {expect} from 'chai'
import {inspect} from 'node:util'
import {strToU8, zipSync} from 'fflate'

import {contentKind, gbkEncode, SecretNeedles, textHolds, xmlText, zipHolds} from '../../../src/facts/plaintext-secrets/content-match.js'
import {docx, legacyDoc, xlsx} from './office-files.js'

const SECRET = 'Gc@Weibo#2023'
const CHINESE_SECRET = '藁城政务Wb2023!'

describe('plaintext_secrets: content matching in memory', () => {
  const needles = new SecretNeedles([SECRET, CHINESE_SECRET])
  const other = new SecretNeedles(['Zz9!unrelated'])

  it('sorts files into text, zip (Office Open XML, OpenDocument) and legacy binary', () => {
    expect(['a.TXT', 'b.csv', 'README', 'c.docx', 'd.xlsx', 'e.pptx', 'f.ods', 'g.doc', 'h.xls', 'i.wps', 'j.et', 'k.pdf', 'l.png'].map(contentKind)).to.deep.equal(['text', 'text', 'text', 'zip', 'zip', 'zip', 'zip', 'binary', 'binary', 'binary', 'binary', null, null])
  })

  it('finds a secret in UTF-8, GBK, UTF-16LE and UTF-16BE text', () => {
    const line = (s: string) => `微博账号：gcxc_weibo\n登录密码：${s}\n`
    expect(textHolds(Buffer.from(line(SECRET)), needles)).to.equal(true)
    expect(textHolds(Buffer.from(line(CHINESE_SECRET)), needles)).to.equal(true)
    const gbk = gbkEncode(line(CHINESE_SECRET)) as Buffer
    expect(gbk.subarray(0, 4)).to.deep.equal(Buffer.from([0xce, 0xa2, 0xb2, 0xa9])) // 微博 in GBK
    expect(textHolds(gbk, needles)).to.equal(true)
    expect(textHolds(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line(CHINESE_SECRET), 'utf16le')]), needles)).to.equal(true)
    expect(textHolds(Buffer.from(line(SECRET), 'utf16le'), needles), 'UTF-16LE without a BOM').to.equal(true)
    expect(textHolds(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(line(SECRET), 'utf16le').swap16()]), needles)).to.equal(true)
    expect(textHolds(Buffer.from(line(SECRET)), other)).to.equal(false)
    expect(textHolds(Buffer.from(line('Gc@Weibo#202')), needles), 'a prefix is not the secret').to.equal(false)
    expect(textHolds(Buffer.from(line(SECRET.toLowerCase())), needles), 'case counts').to.equal(false)
  })

  it('encodes GBK from the platform decoder (密码 = C3DC C2EB)', () => {
    expect(gbkEncode('密码')).to.deep.equal(Buffer.from([0xc3, 0xdc, 0xc2, 0xeb]))
    expect(gbkEncode('abc')).to.deep.equal(Buffer.from('abc'))
    expect(gbkEncode('😀'), 'no two-byte code').to.equal(null)
  })

  it('finds a secret split over Word runs, but not across paragraphs', async () => {
    expect(await zipHolds(docx([['微博账号密码'], ['密码：', 'Gc@', 'Weibo', '#2023']]), needles)).to.equal(true)
    expect(await zipHolds(docx([['Gc@Weibo'], ['#2023']]), needles)).to.equal(false)
    expect(await zipHolds(docx([['会议纪要']]), needles)).to.equal(false)
  })

  it('finds a secret in shared strings (plain or rich text), inline numbers, and escaped characters', async () => {
    expect(await zipHolds(xlsx([['平台', '账号', '密码'], ['微博', 'gcxc', SECRET]]), needles)).to.equal(true)
    expect(await zipHolds(xlsx([['微博', ['藁城政务', 'Wb2023!']]]), needles)).to.equal(true)
    expect(await zipHolds(xlsx([['抖音', 20_230_317]]), new SecretNeedles(['20230317']))).to.equal(true)
    expect(await zipHolds(xlsx([[1234, 5678]]), new SecretNeedles(['12345678'])), 'two cells are not one number').to.equal(false)
    expect(await zipHolds(xlsx([['P&ss<wd>9!']]), new SecretNeedles(['P&ss<wd>9!']))).to.equal(true)
    expect(xmlText('<t>&#x5BC6;&#30721;&amp;&bogus;</t>')).to.equal('密码&&bogus;')
  })

  it('skips zip parts whose declared size is past the limit (zip bombs) and non-XML parts', async () => {
    const big = zipSync({'word/document.xml': strToU8(`<w:t>${SECRET}</w:t>${' '.repeat(17 * 1024 * 1024)}`), 'word/media/a.bin': strToU8(SECRET)})
    expect(await zipHolds(big, needles)).to.equal(false)
  })

  it('finds a secret in a legacy binary document as UTF-16LE or 8-bit text', () => {
    expect(needles.inBytes(legacyDoc(`密码 ${SECRET}`))).to.equal(true)
    expect(needles.inBytes(legacyDoc(SECRET, 'latin1'))).to.equal(true)
    expect(needles.inBytes(legacyDoc(CHINESE_SECRET))).to.equal(true)
    expect(needles.inBytes(Buffer.concat([legacyDoc(''), gbkEncode(CHINESE_SECRET) as Buffer])), 'GBK (a WPS .et of an old version)').to.equal(true)
    expect(needles.inBytes(legacyDoc('nothing here'))).to.equal(false)
  })

  it('ignores secrets too short to tell apart from ordinary text, and never shows the secrets', () => {
    expect(new SecretNeedles(['12345', '', 'abcdef', 'abcdef']).size).to.equal(1)
    expect(JSON.stringify({needles})).to.not.include(SECRET)
    expect(String(needles)).to.not.include(SECRET)
    expect(inspect(needles, {showHidden: true, depth: 5})).to.not.include(SECRET)
  })
})
