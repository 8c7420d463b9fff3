import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {DEV_BIN, ROOT, runCli, tempFile, type CliResult} from '../../helpers/run-cli.js'

const WEAK = ['Gcq@2023', 'zhangwei19880808', 'woaini1314', '1qaz@WSX', 'Admin@123']
const STRONG = ['k8#Rq2!vXz9L', 'Tq7$wLm2#Xp9Vz']

/** No password of `passwords` appears anywhere in what the CLI printed. */
function expectNoEcho(r: CliResult, passwords: readonly string[]): void {
  for (const p of passwords) {
    expect(r.stdout, 'stdout').to.not.contain(p)
    expect(r.stderr, 'stderr').to.not.contain(p)
  }
}

function policyWith(replacements: Array<[RegExp, string]>): string {
  let text = readFileSync(join(ROOT, 'policies', 'gaocheng-2023.yaml'), 'utf8')
  for (const [from, to] of replacements) {
    expect(from.test(text), String(from)).to.equal(true)
    text = text.replace(from, to)
  }
  return tempFile('district.yaml', text)
}

describe('nm-guard password check (CLI)', function () {
  this.timeout(60_000)

  it('--stdin: one result per line, in order, exit 3 when any is weak', async () => {
    const input = [...WEAK, ...STRONG].join('\n') + '\n'
    const r = await runCli(['password', 'check', '--stdin'], {input})
    expect(r.code).to.equal(3)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(WEAK.length + STRONG.length)
    expect(lines[0]).to.match(/^score [0-2]\/4 · weak: .*place name \+ year/)
    expect(lines[1]).to.contain('name + date')
    expect(lines[2]).to.contain('love code')
    expect(lines[3]).to.contain('keyboard walk')
    expect(lines[4]).to.match(/weak: .*common password/)
    expect(lines.slice(WEAK.length)).to.deep.equal(['score 4/4 · ok', 'score 4/4 · ok'])
    expectNoEcho(r, [...WEAK, ...STRONG])
  })

  it('--stdin: exit 0 when every password is strong; CR LF lines are read as lines', async () => {
    const r = await runCli(['password', 'check', '--stdin'], {input: STRONG.join('\r\n')})
    expect(r.code).to.equal(0)
    expect(r.stdout.trimEnd().split('\n')).to.deep.equal(['score 4/4 · ok', 'score 4/4 · ok'])
    expectNoEcho(r, STRONG)
  })

  it('--json: JSON Lines of {score, weak, reasons: [{code, zh, en}]}, no envelope', async () => {
    const r = await runCli(['password', 'check', '--stdin', '--json'], {input: ['Gcq@2023', STRONG[0]].join('\n')})
    expect(r.code).to.equal(3)
    const [weak, strong, ...rest] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as {score: number; weak: boolean; reasons: Array<{code: string; zh: string; en: string}>})
    expect(rest).to.deep.equal([])
    expect(Object.keys(weak ?? {})).to.deep.equal(['score', 'weak', 'reasons'])
    expect(weak?.weak).to.equal(true)
    expect(weak?.score).to.be.at.most(2)
    expect(weak?.reasons).to.deep.include({code: 'place-year', en: 'place name + year', zh: '地名+年份'})
    expect(strong).to.deep.equal({reasons: [], score: 4, weak: false})
    expectNoEcho(r, ['Gcq@2023', STRONG[0] as string])
  })

  it('--json reads a pipe without --stdin (no prompts under --json)', async () => {
    const r = await runCli(['password', 'check', '--json'], {input: 'k8#Rq2!vXz9L\n'})
    expect(r.code).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal({reasons: [], score: 4, weak: false})
  })

  it('--stdin: a line that crashed the model, a line too long and binary lines each get a result line; the batch goes on, nothing is echoed', async () => {
    const long = 'Qz'.repeat(600)
    const bytes = Buffer.concat([
      Buffer.from(`Abc#İ123\n${long}\nSecret\u0000NulPass\n`),
      Buffer.from([0xff, 0xfe, ...Buffer.from('SecretBadUtf8'), 0x0a]),
      Buffer.from(`Gaocheng@2023x\n${STRONG[0]}\n`),
    ])
    const r = await runCli(['password', 'check', '--stdin'], {input: bytes})
    expect(r.code).to.equal(3)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(6)
    expect(lines[0]).to.match(/^score [0-4]\/4/)
    expect(lines.slice(1, 4)).to.deep.equal(['not judged: longer than 1000 characters', 'not judged: not text (a NUL byte or invalid UTF-8)', 'not judged: not text (a NUL byte or invalid UTF-8)'])
    expect(lines[4]).to.match(/^score [0-2]\/4 · weak: a weak template with a few characters added; .*place name \+ year/)
    expect(lines[5]).to.equal('score 4/4 · ok')
    expect(r.stderr).to.equal('')
    expectNoEcho(r, ['Abc#İ123', 'QzQzQzQz', 'Secret', 'NulPass', 'BadUtf8', 'Gaocheng@2023x', STRONG[0] as string])
  })

  it('speaks Chinese with --lang zh-CN or a zh locale', async () => {
    const r = await runCli(['password', 'check', '--stdin'], {env: {LANG: 'zh_CN.UTF-8'}, input: 'Gcq@2023\n'})
    expect(r.stdout).to.match(/^评分 [0-2]\/4 · 弱密码：.*地名\+年份/)
    const en = await runCli(['password', 'check', '--stdin', '--lang', 'zh-CN'], {input: 'sjz@2024\n'})
    expect(en.stdout).to.contain('地名+年份')
  })

  it("--policy: the policy's password rules and unit apply", async () => {
    const file = policyWith([
      [/password_min_length: 8/, 'password_min_length: 16'],
      [/unit_name: .*/, 'unit_name: 正定县融媒体中心'],
      [/unit_region: .*/, 'unit_region: [河北省, 石家庄市, 正定县]'],
    ])
    const r = await runCli(['password', 'check', '--stdin', '--json', '--policy', file], {input: ['Tq7$wLm2#Xp9Vz', 'Rmtzx@2023'].join('\n')})
    const [long, unit] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as {weak: boolean; reasons: Array<{code: string}>})
    expect(long?.weak).to.equal(true)
    expect(long?.reasons.map((x) => x.code)).to.deep.equal(['too-short'])
    expect(unit?.reasons.map((x) => x.code)).to.include('user-input')
    expect(r.code).to.equal(3)
  })

  describe('errors: one line, the right exit code, never the password', () => {
    it('a missing policy file: exit 1', async () => {
      const r = await runCli(['password', 'check', '--stdin', '--policy', '/nonexistent/p.yaml'], {input: 'Gcq@2023\n'})
      expect(r.code).to.equal(1)
      expect(r.stderr.trim().split('\n')).to.have.length(1)
      expectNoEcho(r, ['Gcq@2023'])
    })

    it('an invalid policy under --json: exit 1, one JSON line', async () => {
      const file = policyWith([[/password_min_length: 8/, 'password_min_length: [8']])
      const r = await runCli(['password', 'check', '--stdin', '--json', '--policy', file], {input: 'Gcq@2023\n'})
      expect(r.code).to.equal(1)
      const lines = r.stdout.trim().split('\n')
      expect(lines).to.have.length(1)
      expect(JSON.parse(lines[0] as string)).to.include({result: null, status: 1})
      expectNoEcho(r, ['Gcq@2023'])
    })

    it('nothing on standard input: exit 2', async () => {
      const r = await runCli(['password', 'check', '--stdin'], {input: ''})
      expect(r.code).to.equal(2)
      expect(r.stderr).to.contain('no password given')
    })

    it('no terminal to prompt on and no --stdin: exit 2', async () => {
      const r = await runCli(['password', 'check'], {input: 'Gcq@2023\n'})
      expect(r.code).to.equal(2)
      expect(r.stderr).to.contain('--stdin')
      expectNoEcho(r, ['Gcq@2023'])
    })

    it('an unknown flag: exit 2', async () => {
      const r = await runCli(['password', 'check', '--stdn'], {input: 'Gcq@2023\n'})
      expect(r.code).to.equal(2)
      expectNoEcho(r, ['Gcq@2023'])
    })
  })

  it('refuses --stdin on a terminal (typed lines would be echoed): exit 2', async function () {
    requirePart(this, hasCommand('script'), 'script (Debian package bsdutils / util-linux) to give the CLI a terminal')
    const command = [process.execPath, DEV_BIN, 'password', 'check', '--stdin'].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd: ROOT, env: {...process.env, FORCE_COLOR: '0', LANG: 'en_US.UTF-8', LC_ALL: ''}})
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')))
    const code = await new Promise<null | number>((resolve) => child.on('close', resolve))
    expect(code).to.equal(2)
    expect(out).to.contain('leave out --stdin')
  })

  it('prompts on a terminal without echoing what is typed', async function () {
    requirePart(this, hasCommand('script'), 'script (Debian package bsdutils / util-linux) to give the CLI a terminal')
    const password = 'Gcq@2023'
    const command = [process.execPath, DEV_BIN, 'password', 'check'].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd: ROOT, env: {...process.env, FORCE_COLOR: '0', LANG: 'en_US.UTF-8', LC_ALL: ''}})
    let out = ''
    let typed = false
    const code = await new Promise<null | number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8')
        // Type only once the prompt is up (and the terminal in raw mode), as a person would.
        if (!typed && out.includes('Password (not shown): ')) {
          typed = true
          setTimeout(() => child.stdin.write(`${password}\r`), 200)
        }
      })
      child.on('error', reject)
      child.on('close', resolve)
      setTimeout(() => child.kill(), 45_000).unref()
    })
    expect(out).to.match(/score [0-2]\/4 · weak: .*place name \+ year/)
    expect(out).to.not.contain(password)
    expect(code).to.equal(3)
  })
})
