import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {detectLang} from '../../src/i18n/lang.js'
import {catalogue, type MessageKey, t} from '../../src/i18n/messages.js'
import {ROOT} from '../helpers/run-cli.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('message catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect(Object.keys(catalogue('zh-CN')).sort()).to.deep.equal(Object.keys(catalogue('en')).sort())
  })

  it('have the same placeholders in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort()
    for (const [key, en] of Object.entries(catalogue('en'))) expect(holes(catalogue('zh-CN')[key] ?? ''), key).to.deep.equal(holes(en))
  })

  it('hold every key the code asks for', () => {
    const used = new Set<string>()
    for (const file of sources(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:t|tr|this\.t|helpText|helpDescription)\((?:[\w.]+, )?'([a-zA-Z]+\.[\w.]+)'/g)) used.add(m[1] as string)
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:UserError\(|key: )'([a-zA-Z]+\.[\w.]+)'/g)) used.add(m[1] as string)
    }
    expect(used.size).to.be.greaterThan(20)
    const missing = [...used].filter((key) => !(key in catalogue('en')))
    expect(missing).to.deep.equal([])
  })

  it('fill placeholders and fall back to English, then to the key', () => {
    expect(t('zh-CN', 'facts.rows', {count: 3})).to.equal('3 行')
    expect(t('en', 'no.such.key' as MessageKey)).to.equal('no.such.key')
  })

  it('pick the language from --lang, then LC_ALL / LC_MESSAGES / LANG', () => {
    expect(detectLang(['--lang', 'en'], {LANG: 'zh_CN.UTF-8'})).to.equal('en')
    expect(detectLang(['--lang=zh-CN'], {})).to.equal('zh-CN')
    expect(detectLang([], {LANG: 'zh_CN.UTF-8'})).to.equal('zh-CN')
    expect(detectLang([], {LANG: 'zh_CN.UTF-8', LC_ALL: 'C'})).to.equal('en')
    expect(detectLang(['--', '--lang', 'zh-CN'], {LANG: 'C'})).to.equal('en')
  })
})
