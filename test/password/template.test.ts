// Reading a whole password as one of the templates Chinese users build passwords from.
import {expect} from 'chai'

import {templateParts} from '../../src/password/model.js'
import {parseTemplate, type Template, type TemplateModel} from '../../src/password/template.js'
import {loadZhPack} from '../../src/password/zh-pack.js'

const shape = (t: Template | null): string[] | null => t && t.parts.map((p) => `${p.kind}${p.category ? `:${p.category}` : ''}${p.digitKind ? `:${p.digitKind}` : ''}`)

describe('password/template', () => {
  let model: TemplateModel
  before(() => {
    model = templateParts(loadZhPack()).templateModel
  })

  const CASES: Array<[string, string[]]> = [
    ['Gcq@2023', ['word:county', 'symbols', 'digits:year']],
    ['gaocheng2024', ['word:county', 'digits:year']],
    ['ShiJiaZhuang#123', ['word:region', 'symbols', 'digits:sequence']],
    ['zhangwei19880808', ['name', 'digits:year', 'digits:date']],
    ['Zfb@123456', ['word:department', 'symbols', 'word:top']],
    ['@WSX3edc$RFV', ['walk', 'walk', 'walk']],
    ['13812345678', ['digits:mobile']],
    ['k123456', ['letters', 'word:top']],
    ['1qaz2wsx', ['word:top']],
  ]
  for (const [password, parts] of CASES) {
    it(`reads ${password} as ${parts.join(' + ')}`, () => {
      expect(shape(parseTemplate(model, password))).to.deep.equal(parts)
    })
  }

  it('reads no template into random strings or pinyin passphrases', () => {
    for (const password of ['k8#Rq2!vXz9L', 'guomianxiangcundao47', 'LunQiaoSuoPiePan38', 'xyz48213', 'GaOcHeng2023']) {
      expect(parseTemplate(model, password), password).to.equal(null)
    }
  })

  it('reads a template said twice', () => {
    const t = parseTemplate(model, 'gcq2023gcq2023')
    expect(t?.repeated).to.equal(true)
  })

  it('takes user inputs as words of their own category', () => {
    const inputs = new Map([['tkdvr', {category: 'user' as const, rank: 1}]])
    const t = parseTemplate(model, 'Tkdvr@2023', inputs)
    expect(t?.parts[0]).to.include({category: 'user', input: true, kind: 'word'})
    expect(parseTemplate(model, 'Tkdvr@2023')).to.equal(null)
  })

  it('explains a listed common password by its parts', () => {
    const t = parseTemplate(model, 'woaini1314')
    expect(t?.parts.map((p) => p.category)).to.deep.equal(['top'])
    expect(t?.detail?.map((p) => p.category ?? p.digitKind)).to.deep.equal(['love', 'love'])
  })

  it('gives up past 40 characters', () => {
    expect(parseTemplate(model, `${'gaocheng'.repeat(6)}2023`)).to.equal(null)
  })
})
