// Help in the user's language only: every help text of every command, topic and the root is found in
// the catalogues, and the real CLI's root, topic and command help follow --lang and the locale.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'

import {HEADINGS, withoutLang} from '../../src/cli/help.js'
import {helpKeyOf, translateHelp} from '../../src/i18n/help-text.js'
import {detectLang, langFlag} from '../../src/i18n/lang.js'
import {catalogue, t} from '../../src/i18n/messages.js'
import {ROOT, runCli} from '../helpers/run-cli.js'

interface Texts {
  args?: Record<string, {description?: string}>
  baseFlags?: Record<string, {description?: string; summary?: string}>
  description?: string
  flags?: Record<string, {description?: string; summary?: string}>
  summary?: string
}

const HAN = /\p{Script=Han}/u

describe('help', () => {
  it('finds a catalogue key for every help text of every command, topic and the root', async () => {
    const dir = join(ROOT, 'src', 'commands')
    const files = (readdirSync(dir, {recursive: true}) as string[]).filter((f) => f.endsWith('.ts'))
    expect(files.length).to.be.greaterThan(20)
    const missing: string[] = []
    const check = (where: string, text: string | undefined) => {
      if (text !== undefined && !helpKeyOf(text)) missing.push(`${where}: ${text}`)
    }
    for (const file of files) {
      const command = (await import(pathToFileURL(join(dir, file)).href)).default as Texts
      check(`${file} summary`, command.summary)
      check(`${file} description`, command.description)
      for (const [name, flag] of Object.entries({...command.baseFlags, ...command.flags})) {
        check(`${file} --${name}`, flag.summary)
        check(`${file} --${name}`, flag.description)
      }
      for (const [name, arg] of Object.entries(command.args ?? {})) check(`${file} ${name}`, arg.description)
    }
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {description: string; oclif: {topics: Record<string, {description: string}>}}
    check('package.json description', pjson.description)
    for (const [name, topic] of Object.entries(pjson.oclif.topics)) check(`topic ${name}`, topic.description)
    // oclif's own: the --json flag and the help command.
    for (const text of ['Format output as json.', 'Display help for <%= config.bin %>.', 'Command to show help for.']) check('oclif', text)
    expect(missing).to.deep.equal([])
    for (const key of Object.values(HEADINGS)) expect(catalogue('zh-CN'), key).to.have.property(key)
  })

  it('translates a known text and leaves anything else as it is', () => {
    expect(translateHelp('zh-CN', t('en', 'help.audit.summary'))).to.equal(t('zh-CN', 'help.audit.summary'))
    expect(translateHelp('en', t('en', 'help.audit.summary'))).to.equal(t('en', 'help.audit.summary'))
    expect(translateHelp('zh-CN', 'not a help text')).to.equal('not a help text')
  })

  it('takes --lang out of the words that name the subject, and reads it', () => {
    expect(withoutLang(['--lang', 'zh-CN', 'audit', '--help'])).to.deep.equal(['audit', '--help'])
    expect(withoutLang(['policy', '--lang=en', '--', '--lang', 'x'])).to.deep.equal(['policy', '--', '--lang', 'x'])
    expect(langFlag(['help', '--lang', 'zh-CN'])).to.equal('zh-CN')
    expect(langFlag(['--lang', 'fr'])).to.equal(undefined)
    expect(detectLang(['--lang', 'fr'], {LANG: 'zh_CN.UTF-8'})).to.equal('zh-CN')
  })

  describe('from the real CLI', () => {
    it('root help in Chinese from the locale, in English from --lang', async () => {
      const [zh, en] = await Promise.all([runCli(['--help'], {env: {LANG: 'zh_CN.UTF-8'}}), runCli(['--help', '--lang', 'en'], {env: {LANG: 'zh_CN.UTF-8'}})])
      expect(zh.code, zh.stderr).to.equal(0)
      expect(zh.stdout).to.include(t('zh-CN', 'help.root.description')).and.include('主题').and.include('命令').and.include('用法')
      expect(zh.stdout).to.include(t('zh-CN', 'help.topic.account')).and.include(t('zh-CN', 'help.audit.summary')).and.include(t('zh-CN', 'help.helpCommand.summary').replace('<%= config.bin %>', 'nm-guard'))
      expect(zh.stdout).not.to.match(/TOPICS|COMMANDS|USAGE/)
      expect(zh.stdout).not.to.include(t('en', 'help.topic.account'))
      expect(en.code, en.stderr).to.equal(0)
      expect(en.stdout).to.include('TOPICS').and.include(t('en', 'help.topic.account')).and.include(t('en', 'help.audit.summary'))
      expect(en.stdout).not.to.include('主题').and.not.include(t('zh-CN', 'help.topic.account'))
    })

    it('command and topic help in one language, also through `help` with --lang', async () => {
      const [zh, en, topic] = await Promise.all([
        runCli(['audit', '--help', '--lang', 'zh-CN']),
        runCli(['help', 'audit']),
        runCli(['help', 'policy', '--lang', 'zh-CN']),
      ])
      expect(zh.code, zh.stderr).to.equal(0)
      expect(zh.stdout).to.include(t('zh-CN', 'help.audit.summary')).and.include(t('zh-CN', 'help.audit.failOn')).and.include('通用选项').and.include('以 JSON 格式输出')
      expect(zh.stdout).to.include('[默认: low]').and.include('<可选值: table|json|html>')
      expect(zh.stdout).not.to.match(/FLAGS|USAGE|DESCRIPTION|EXAMPLES|options:/)
      expect(zh.stdout).not.to.include(t('en', 'help.audit.failOn'))
      expect(en.code, en.stderr).to.equal(0)
      // oclif wraps long lines.
      expect(en.stdout.replaceAll(/\s+/g, ' ')).to.include('FLAGS').and.include(t('en', 'help.audit.failOn'))
      // The English summary names clause 四(二); nothing else in it is Chinese.
      expect(en.stdout.replaceAll('四(二)', '')).not.to.match(HAN)
      expect(topic.code, topic.stderr).to.equal(0)
      expect(topic.stdout).to.include(t('zh-CN', 'help.topic.policy')).and.include(t('zh-CN', 'help.policyShow.summary')).and.include('命令')
    })
  })
})
