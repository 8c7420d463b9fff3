// Usage errors: oclif's real parse errors (its parser, in-process) mapped to catalogue messages that
// name the flag and its allowed values; then the real CLI for the exit code, stderr, --json and --lang.
import {Args, Flags, Parser} from '@oclif/core'
import {expect} from 'chai'

import {usageErrorOf, type UsageError} from '../../src/cli/usage-error.js'
import {UserError} from '../../src/cli/user-error.js'
import {runCli} from '../helpers/run-cli.js'

const flags = {
  platform: Flags.option({options: ['wechat', 'weibo'] as const, required: true})(),
  custodian: Flags.string({required: true}),
  format: Flags.option({options: ['table', 'json'] as const})(),
  facts: Flags.file({exclusive: ['replay']}),
  replay: Flags.directory({exclusive: ['facts']}),
  uninstall: Flags.boolean(),
  'remove-data': Flags.boolean({dependsOn: ['uninstall']}),
  port: Flags.integer({max: 72, min: 1}),
}
const args = {account: Args.string({required: true})}
const defs = {args, flags}

/** The UsageError oclif's parser leads to for `argv`. */
async function mapped(argv: string[], input: {args?: object; flags?: object} = {args, flags}): Promise<UsageError> {
  try {
    await Parser.parse(argv, {...input, strict: true} as Parameters<typeof Parser.parse>[1])
  } catch (error) {
    const usage = usageErrorOf(error, 'account add', defs)
    if (!usage) throw new Error(`not mapped: ${(error as Error).message}`)
    return usage
  }
  throw new Error(`parsed: ${argv.join(' ')}`)
}

const both = (e: UsageError) => ({en: e.render('en'), zh: e.render('zh-CN')})

describe('usage errors', () => {
  it('name every missing flag and argument, with the values a flag takes', async () => {
    const e = await mapped(['--custodian', '张三'])
    expect(e.key).to.equal('cli.usage.missingArgs')
    expect(e.exitCode).to.equal(2)
    expect(both(e).en).to.equal('missing argument(s): ACCOUNT; missing required flag(s): --platform; --platform takes one of: wechat, weibo (see nm-guard account add --help)')
    expect(both(e).zh).to.equal('缺少参数：ACCOUNT；缺少必填选项：--platform；--platform 可选：wechat, weibo（用法见 nm-guard account add --help）')
    const flagsOnly = await mapped(['x'])
    expect(flagsOnly.key).to.equal('cli.usage.missingFlags')
    expect(flagsOnly.params).to.deep.equal({flags: '--platform, --custodian'})
  })

  it('name a refused value and the allowed ones', async () => {
    const e = await mapped(['x', '--platform', 'wechat', '--custodian', 'a', '--format', 'pdf'])
    expect(e.key).to.equal('cli.usage.badOption')
    expect(e.params).to.deep.equal({flag: 'format', options: 'table, json', value: 'pdf'})
    expect(both(e).zh).to.equal('--format 不能是“pdf”，可选：table, json（用法见 nm-guard account add --help）')
    const needs = await mapped(['x', '--custodian', 'a', '--platform'])
    expect(needs.key).to.equal('cli.usage.needsValue')
    expect(needs.render('en')).to.equal('--platform needs a value; --platform takes one of: wechat, weibo (see nm-guard account add --help)')
  })

  it('name unknown flags and extra arguments', async () => {
    const unknown = await mapped(['x', '--platform', 'wechat', '--custodian', 'a', '--nope'])
    expect([unknown.key, unknown.params.flags]).to.deep.equal(['cli.usage.unknownFlags', '--nope'])
    expect(unknown.render('zh-CN')).to.equal('没有这个选项：--nope（用法见 nm-guard account add --help）')
    const extra = await mapped(['x', 'y', '--platform', 'wechat', '--custodian', 'a'])
    expect([extra.key, extra.params.args]).to.deep.equal(['cli.usage.unexpectedArgs', 'y'])
  })

  it('name both flags of an exclusive pair once, and what a flag depends on', async () => {
    const given = ['x', '--platform', 'wechat', '--custodian', 'a']
    const exclusive = await mapped([...given, '--facts', 'f', '--replay', 'r'])
    expect([exclusive.key, exclusive.params, exclusive.notes]).to.deep.equal(['cli.usage.exclusive', {flag: 'facts', other: 'replay'}, []])
    expect(exclusive.render('zh-CN')).to.equal('--facts 和 --replay 不能同时使用（用法见 nm-guard account add --help）')
    const depends = await mapped([...given, '--remove-data'])
    expect([depends.key, depends.params]).to.deep.equal(['cli.usage.dependsOn', {flag: 'remove-data', others: '--uninstall'}])
  })

  it('say what a number flag takes', async () => {
    const given = ['x', '--platform', 'wechat', '--custodian', 'a']
    expect((await mapped([...given, '--port', 'x'])).params).to.deep.equal({flag: 'port', value: 'x'})
    const high = await mapped([...given, '--port', '100'])
    expect([high.key, high.render('zh-CN')]).to.deep.equal(['cli.usage.tooLarge', '--port 不能大于 72（填的是 100）（用法见 nm-guard account add --help）'])
    expect((await mapped([...given, '--port', '0'])).key).to.equal('cli.usage.tooSmall')
  })

  it('leave the project’s own errors and anything else alone', () => {
    expect(usageErrorOf(new UserError('file.unwritable', {file: 'x', reason: 'EACCES'}), 'audit', defs)).to.equal(undefined)
    expect(usageErrorOf(new Error('disk full'), 'audit', defs)).to.equal(undefined)
  })

  describe('from the real CLI', () => {
    it('account add --account x: one line naming the missing flags, exit 2, in English and Chinese, and under --json', async () => {
      const [en, zh, json] = await Promise.all([
        runCli(['account', 'add', '--account', 'x']),
        runCli(['account', 'add', '--account', 'x'], {env: {LANG: 'zh_CN.UTF-8'}}),
        runCli(['account', 'add', '--account', 'x', '--json', '--lang', 'zh-CN']),
      ])
      expect(en.code).to.equal(2)
      expect(en.stderr).to.match(/^nm-guard: missing required flag\(s\): --platform, --custodian; --platform takes one of: wechat, weibo, .* \(see nm-guard account add --help\)\n$/)
      expect(en.stderr).not.to.include('The following')
      expect(zh.code).to.equal(2)
      expect(zh.stderr).to.match(/^nm-guard: 缺少必填选项：--platform, --custodian；--platform 可选：wechat, weibo, .*（用法见 nm-guard account add --help）\n$/)
      expect(json.code).to.equal(2)
      const envelope = JSON.parse(json.stdout)
      expect(envelope).to.deep.include({result: null, status: 2})
      expect(envelope.error).to.deep.include({key: 'cli.usage.missingFlags', name: 'UsageError', params: {flags: '--platform, --custodian'}})
      expect(envelope.error.message).to.match(/^缺少必填选项：/)
    })

    it('a bad --format, an unknown flag, an unknown command and an extra word', async () => {
      const [format, flag, command, extra] = await Promise.all([
        runCli(['audit', '--format', 'pdf', '--lang', 'zh-CN']),
        runCli(['audit', '--nope']),
        runCli(['nope', '--lang=zh-CN']),
        runCli(['password', 'check', 'extra', '--json']),
      ])
      expect([format.code, format.stderr]).to.deep.equal([2, 'nm-guard: --format 不能是“pdf”，可选：table, json, html（用法见 nm-guard audit --help）\n'])
      expect([flag.code, flag.stderr]).to.deep.equal([2, 'nm-guard: unknown flag(s): --nope (see nm-guard audit --help)\n'])
      expect([command.code, command.stderr]).to.deep.equal([2, 'nm-guard: 没有“nope”这个命令（用法见 nm-guard --help）\n'])
      expect(extra.code).to.equal(2)
      expect(JSON.parse(extra.stdout).error).to.deep.include({key: 'cli.usage.unexpectedArgs', params: {args: 'extra'}})
    })
  })
})
