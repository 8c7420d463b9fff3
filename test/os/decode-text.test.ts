import {expect} from 'chai'

import {decodeText} from '../../src/os/decode-text.js'

describe('decodeText', () => {
  const text = '向日葵远程控制 SunloginClient'
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(Buffer.from(text))).to.equal(text)
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).to.equal(text)
  })
  it('reads UTF-16LE with and without a BOM, and UTF-16BE with one', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).to.equal(text)
    expect(decodeText(Buffer.from('DisplayName : WPS Office', 'utf16le'))).to.equal('DisplayName : WPS Office')
    const be = Buffer.from(text, 'utf16le').swap16()
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).to.equal(text)
  })
  it('falls back to GBK (GB18030) for the Chinese ANSI code page', () => {
    // "微信" in GBK.
    expect(decodeText(Buffer.from([0xce, 0xa2, 0xd0, 0xc5]))).to.equal('微信')
  })
})
