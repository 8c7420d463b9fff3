// nm-guard account … through the real CLI against a real Secret Service (gnome-keyring on a
// private D-Bus session), and proof that no password, nor a plain hash of one, reaches a file
// under the config and state dirs, a report, or any output (except `get --show`).
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {createLab, requireLab} from '../../helpers/netns.js'
import {type CliResult, DEV_BIN, runCli} from '../../helpers/run-cli.js'
import {startXvfb, xvfbPresent} from '../../helpers/xvfb.js'
import {SECRET_SERVICE_PACKAGES, secretServicePresent, startSecretService, type SecretServiceSession} from '../../helpers/secret-service.js'

const STRONG_1 = 'Hq7$Lm2#Zx9!Wt4p'
const STRONG_2 = 'c7Q!vR2#pL9$wX4m'
const STRONG_3 = 'Rv8@Kc3%Np6&Jd1q'
const STRONG_4 = 'Tz5&Gh8*Ub3^Ke6n'
const WEAK = 'Gaocheng@2023'
const SECRETS = [STRONG_1, STRONG_2, STRONG_3, STRONG_4, WEAK]

/** The password and its plain digests, as hex (both cases) and base64: none may show up anywhere. */
function leakForms(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]
  for (const algo of ['md5', 'sha1', 'sha256', 'sha512']) {
    const digest = createHash(algo).update(secret, 'utf8').digest()
    forms.push(digest.toString('hex'), digest.toString('hex').toUpperCase(), digest.toString('base64'), digest.toString('base64url'))
  }
  return forms
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('nm-guard account against a real Secret Service', function () {
  this.timeout(240_000)
  let session: SecretServiceSession
  const configDir = join(mkdtempSync(join(tmpdir(), 'nmg-acct-')), 'config')
  const stateDir = mkdtempSync(join(tmpdir(), 'nmg-acct-state-'))
  // Every output that must be free of secrets: [what, text].
  const outputs: Array<[string, string]> = []

  async function nmg(args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const result = await runCli(args, {env: {...session.env, NMG_CONFIG_DIR: configDir, NMG_STATE_DIR: stateDir, ...extraEnv}, input})
    const showing = args.includes('--show')
    if (!showing) outputs.push([`stdout of ${args.join(' ')}`, result.stdout])
    outputs.push([`stderr of ${args.join(' ')}`, result.stderr])
    return result
  }

  const lookup = (name: string): null | string => {
    try {
      return execFileSync('secret-tool', ['lookup', 'service', 'nm-guard', 'username', name], {env: {...process.env, ...session.env}}).toString()
    } catch {
      return null
    }
  }
  const stored = () => (JSON.parse(readFileSync(join(configDir, 'accounts.json'), 'utf8')) as {accounts: Array<Record<string, unknown>>}).accounts

  before(async function () {
    if (process.platform !== 'linux') this.skip()
    requirePart(this, secretServicePresent(), SECRET_SERVICE_PACKAGES)
    requirePart(this, hasCommand('secret-tool'), 'secret-tool (package libsecret-tools)')
    session = await startSecretService()
  })

  after(() => session?.stop())

  it('refuses a weak password with the reasons and stores nothing', async () => {
    const r = await nmg(['account', 'add', '--platform', 'wechat', '--account', 'gcfb', '--custodian', '张三', '--password-stdin'], `${WEAK}\n`)
    expect(r.code, r.stderr).to.equal(1)
    expect(r.stderr).to.match(/^nm-guard: password refused, nothing was stored: .+--force/)
    expect(r.stderr.trim().split('\n')).to.have.length(1)
    expect(lookup('wechat/gcfb')).to.equal(null)
    expect(existsSync(join(configDir, 'accounts.json'))).to.equal(false)
  })

  it('adds accounts: the password in the Secret Service, the metadata (0600) without it', async () => {
    const r = await nmg(['account', 'add', '--platform', 'wechat', '--account', 'gcfb', '--custodian', '张三', '--contact', '0311-88000000', '--password-stdin'], `${STRONG_1}\n`)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('wechat/gcfb: password stored in the keychain (custodian 张三')
    expect(lookup('wechat/gcfb')).to.equal(STRONG_1)
    expect(lookup('__hmac_key__')).to.match(/^[A-Za-z0-9+/]{43}=$/)
    expect(statSync(join(configDir, 'accounts.json')).mode & 0o777).to.equal(0o600)
    expect(stored()[0]).to.include({account: 'gcfb', custodian: '张三', forced: false, platform: 'wechat'})
    const again = await nmg(['account', 'add', '--platform', 'douyin', '--account', 'gcfb', '--custodian', '王五', '--contact', '13800000000', '--password-stdin'], `${STRONG_3}\n`)
    expect(again.code, again.stderr).to.equal(0)
  })

  it('refuses an existing account, and a password another account uses unless --force', async () => {
    const dup = await nmg(['account', 'add', '--platform', 'wechat', '--account', 'gcfb', '--custodian', '李四', '--password-stdin'], `${STRONG_2}\n`)
    expect(dup.code).to.equal(1)
    expect(dup.stderr).to.include('wechat/gcfb is already managed; change its password with `nm-guard account rotate`')
    expect(lookup('wechat/gcfb')).to.equal(STRONG_1)
    const reused = await nmg(['account', 'add', '--platform', 'weibo', '--account', '藁城发布', '--custodian', '李四', '--password-stdin'], `${STRONG_1}\n`)
    expect(reused.code).to.equal(1)
    expect(reused.stderr).to.include('the same password as wechat/gcfb')
    expect(lookup('weibo/藁城发布')).to.equal(null)
  })

  it('stores a weak password with --force as forced, and says audit will flag it', async () => {
    const r = await nmg(['account', 'add', '--platform', 'weibo', '--account', '藁城发布', '--custodian', '李四', '--password-stdin', '--force', '--lang', 'zh-CN'], `${WEAK}\n`)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('已用 --force 强制保存')
    expect(lookup('weibo/藁城发布')).to.equal(WEAK)
    expect(stored().find((a) => a.platform === 'weibo')).to.include({forced: true})
  })

  it('never prompts without a terminal or under --json (exit 2)', async () => {
    const r = await nmg(['account', 'add', '--platform', 'toutiao', '--account', 'gctt', '--custodian', '赵六'])
    expect(r.code).to.equal(2)
    expect(r.stderr).to.include('--password-stdin')
    const json = await nmg(['account', 'rotate', 'gcfb', '--platform', 'wechat', '--json'])
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout)).to.deep.include({error: {key: 'account.noTerminal', message: 'no terminal to ask for the password: give it on standard input with --password-stdin', name: 'UserError'}, status: 2})
  })

  it('lists platform, account, custodian, strength, age and status', async () => {
    const r = await nmg(['account', 'list'])
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).to.match(/^PLATFORM\s+ACCOUNT\s+CUSTODIAN\s+STRENGTH\s+AGE\s+STATUS$/)
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/))
    expect(rows.map((r) => [r[0], r[1], r[2], r[4], r[5]])).to.deep.equal([
      ['wechat', 'gcfb', '张三', '0 d', 'ok'],
      ['douyin', 'gcfb', '王五', '0 d', 'ok'],
      ['weibo', '藁城发布', '李四', '0 d', 'forced, weak'],
    ])
    expect(rows.map((r) => r[3])).to.satisfy((scores: string[]) => scores.every((x, i) => (i < 2 ? /^[34]\/4$/ : /^[0-2]\/4$/).test(x)))
    const json = JSON.parse((await nmg(['account', 'list', '--json'])).stdout) as {status: number; result: Array<{status: string}>}
    expect(json.result.map((a) => a.status)).to.deep.equal(['ok', 'ok', 'forced'])
  })

  it('gets metadata by default, the password only with --show, and needs --platform for an ambiguous name', async () => {
    const ambiguous = await nmg(['account', 'get', 'gcfb'])
    expect(ambiguous.code).to.equal(2)
    expect(ambiguous.stderr).to.include('gcfb exists on several platforms (wechat, douyin): add --platform')
    const meta = await nmg(['account', 'get', 'gcfb', '--platform', 'wechat'])
    expect(meta.code, meta.stderr).to.equal(0)
    expect(meta.stdout).to.match(/CUSTODIAN:\s+张三/).and.to.match(/CONTACT:\s+0311-88000000/)
    const show = await nmg(['account', 'get', 'gcfb', '--platform', 'wechat', '--show'])
    expect(show.stdout).to.equal(`${STRONG_1}\n`)
    const showJson = JSON.parse((await nmg(['account', 'get', '藁城发布', '--show', '--json'])).stdout) as {result: {password: string}}
    expect(showJson.result.password).to.equal(WEAK)
  })

  it('copies to the clipboard with --copy, and refuses where there is no clipboard', async function () {
    const r = await nmg(['account', 'get', 'gcfb', '--platform', 'wechat', '--copy'], undefined, {DISPLAY: '', WAYLAND_DISPLAY: ''})
    expect(r.code).to.equal(1)
    expect(r.stderr).to.include('no clipboard available here')
    requirePart(this, xvfbPresent(), 'Xvfb and xclip (packages xvfb, xclip)')
    const x = await startXvfb()
    try {
      const copied = await nmg(['account', 'get', 'gcfb', '--platform', 'wechat', '--copy'], undefined, x.env)
      expect(copied.code, copied.stderr).to.equal(0)
      expect(copied.stdout).to.equal('wechat/gcfb: password copied to the clipboard; it is cleared in 30 s\n')
      expect(x.paste()).to.equal(STRONG_1)
    } finally {
      x.stop()
    }
  })

  it('rotates: refuses a recent or weak password (old one kept), then stores a new one', async () => {
    const same = await nmg(['account', 'rotate', 'gcfb', '--platform', 'wechat', '--password-stdin', '--force'], `${STRONG_1}\n`)
    expect(same.code).to.equal(1)
    expect(same.stderr).to.include("one of this account's last 5 passwords")
    const weak = await nmg(['account', 'rotate', 'gcfb', '--platform', 'wechat', '--password-stdin'], `${WEAK}\n`)
    expect(weak.code).to.equal(1)
    expect(lookup('wechat/gcfb')).to.equal(STRONG_1)
    const fingerprint = stored().find((a) => a.platform === 'wechat')?.fingerprint
    const ok = await nmg(['account', 'rotate', 'gcfb', '--platform', 'wechat', '--password-stdin'], `${STRONG_2}\n`)
    expect(ok.code, ok.stderr).to.equal(0)
    expect(lookup('wechat/gcfb')).to.equal(STRONG_2)
    const record = stored().find((a) => a.platform === 'wechat')
    expect(record?.history).to.deep.equal([fingerprint])
    const back = await nmg(['account', 'rotate', 'gcfb', '--platform', 'wechat', '--password-stdin'], `${STRONG_1}\n`)
    expect(back.code).to.equal(1)
  })

  it('check re-judges every password from the keychain and exits 3 while one fails', async () => {
    const r = await nmg(['account', 'check'])
    expect(r.code, r.stderr).to.equal(3)
    expect(r.stdout).to.match(/✗ weibo\/藁城发布: forced, weak/)
    expect(r.stdout).to.include('3 account(s) checked, 1 fail the policy')
    const json = JSON.parse((await nmg(['account', 'check', '--json'])).stdout) as {status: number; result: Array<{account: string; problems: string[]}>}
    expect(json.status).to.equal(3)
  })

  it('feeds audit: the weak account fails the strength check, and the report holds no secret', async () => {
    const r = await nmg(['audit', '--format', 'json'])
    expect(r.code, r.stderr).to.be.oneOf([0, 3])
    const report = JSON.parse(r.stdout) as {results: Array<{id: string; status: string; evidence: {rules: Array<{matched: Array<Record<string, unknown>>}>}}>}
    const strong = report.results.find((x) => x.id === 'account-passwords-strong')
    expect(strong?.status).to.equal('fail')
    expect(strong?.evidence.rules[0]?.matched.map((m) => m.account)).to.deep.equal(['藁城发布'])
    expect(report.results.find((x) => x.id === 'account-custodian-named')?.status).to.equal('fail')
    expect(report.results.find((x) => x.id === 'account-passwords-unique')?.status).to.equal('pass')
    const facts = await nmg(['facts', '--table', 'managed_accounts', '--json'])
    expect(facts.code, facts.stderr).to.equal(0)
  })

  it('finds a managed password written into a document, naming the file but never the password', async () => {
    const documents = join(session.home, 'Documents')
    mkdirSync(documents, {recursive: true})
    const notes = join(documents, '新媒体工作记录.txt')
    writeFileSync(notes, `抖音后台 gcfb\n登录口令：${STRONG_3}\n`)
    try {
      const r = await nmg(['audit', '--format', 'json'])
      const report = JSON.parse(r.stdout) as {results: Array<{id: string; status: string; evidence: {rules: Array<{matched: Array<Record<string, unknown>>}>}}>}
      const files = report.results.find((x) => x.id === 'no-password-files')
      expect(files?.status).to.equal('fail')
      expect(files?.evidence.rules[0]?.matched.find((m) => m.path === notes)).to.include({reason: 'content-match'})
      expect(r.stdout).not.to.include(STRONG_3)
    } finally {
      rmSync(notes)
    }
  })

  it('edits custodian and contact without touching the password, and audit reminds to report the change (二(七))', async () => {
    const before = lookup('douyin/gcfb')
    const nothing = await nmg(['account', 'edit', 'gcfb', '--platform', 'douyin'])
    expect(nothing.code).to.equal(2)
    expect(nothing.stderr).to.include('give --custodian, --contact or --reported')
    const r = await nmg(['account', 'edit', 'gcfb', '--platform', 'douyin', '--custodian', '赵六', '--contact', '13800000001', '--lang', 'zh-CN'], undefined, {TZ: 'Asia/Shanghai'})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('douyin/gcfb：已修改管理人、联系方式；密码未改动').and.to.include('全国政务新媒体信息报送系统').and.to.include('(Asia/Shanghai, UTC+08:00)')
    // The same bytes in the Secret Service, and the keyed fingerprint unchanged.
    expect(lookup('douyin/gcfb')).to.equal(before).and.to.equal(STRONG_3)
    const record = stored().find((a) => a.platform === 'douyin')
    expect(record).to.include({contact: '13800000001', custodian: '赵六'})
    expect((record?.info_changes as Array<{fields: string[]; reported_at: null}>)[0]).to.include({reported_at: null}).and.to.have.deep.property('fields', ['custodian', 'contact'])
    const audit = JSON.parse((await nmg(['audit', '--format', 'json'])).stdout) as {results: Array<{id: string; status: string}>}
    expect(audit.results.find((x) => x.id === 'account-info-change-reported')?.status).to.equal('fail')
    const list = await nmg(['account', 'list'])
    expect(list.stdout).to.match(/douyin\/gcfb: custodian and contact changed .+, not yet reported/)
    const reported = await nmg(['account', 'edit', 'gcfb', '--platform', 'douyin', '--reported'])
    expect(reported.code, reported.stderr).to.equal(0)
    expect(reported.stdout.trim()).to.equal('douyin/gcfb: recorded that the change was made in 全国政务新媒体信息报送系统')
    const after = JSON.parse((await nmg(['audit', '--format', 'json'])).stdout) as {results: Array<{id: string; status: string}>}
    expect(after.results.find((x) => x.id === 'account-info-change-reported')?.status).to.equal('pass')
    expect(lookup('douyin/gcfb')).to.equal(before)
  })

  it('removes an account only once its name is confirmed: keychain entry and metadata', async () => {
    const unconfirmed = await nmg(['account', 'remove', '藁城发布'])
    expect(unconfirmed.code).to.equal(2)
    expect(unconfirmed.stderr).to.include('--confirm 藁城发布')
    const json = JSON.parse((await nmg(['account', 'remove', '藁城发布', '--json'])).stdout) as {error: {key: string}; status: number}
    expect([json.status, json.error.key]).to.deep.equal([2, 'account.confirmRequired'])
    const wrong = await nmg(['account', 'remove', '藁城发布', '--confirm', 'gcfb'])
    expect(wrong.code).to.equal(2)
    expect(lookup('weibo/藁城发布')).to.equal(WEAK)
    const r = await nmg(['account', 'remove', '藁城发布', '--confirm', '藁城发布'])
    expect(r.code, r.stderr).to.equal(0)
    expect(lookup('weibo/藁城发布')).to.equal(null)
    expect(stored().map((a) => `${a.platform}/${a.account}`)).to.deep.equal(['wechat/gcfb', 'douyin/gcfb'])
    const missing = await nmg(['account', 'remove', '藁城发布', '--confirm', '藁城发布'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.include('no managed account 藁城发布')
    const check = await nmg(['account', 'check'])
    expect(check.code, check.stdout).to.equal(0)
  })

  it('fails with the remedy, in the user\'s language, and writes nothing when the keychain is unavailable', async () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'nmg-acct-nokeychain-')), 'config')
    const env = {DBUS_SESSION_BUS_ADDRESS: '', NMG_CONFIG_DIR: elsewhere}
    const en = await nmg(['account', 'add', '--platform', 'wechat', '--account', 'gcfb', '--custodian', '张三', '--password-stdin'], `${STRONG_4}\n`, env)
    expect(en.code).to.equal(1)
    expect(en.stderr).to.match(/^nm-guard: the OS keychain is unavailable \(.+\)\. No Secret Service is running .*gnome-keyring.*never keeps passwords in a file\.\n$/)
    const zh = await nmg(['account', 'add', '--platform', 'wechat', '--account', 'gcfb', '--custodian', '张三', '--password-stdin', '--lang', 'zh-CN'], `${STRONG_4}\n`, env)
    expect(zh.code).to.equal(1)
    expect(zh.stderr).to.include('系统密钥库不可用').and.to.include('gnome-keyring')
    expect(filesUnder(elsewhere)).to.deep.equal([])
    // The real store, with its keychain gone: check and get --show fail the same way; list needs no keychain.
    const noBus = {DBUS_SESSION_BUS_ADDRESS: ''}
    expect((await nmg(['account', 'check'], undefined, noBus)).code).to.equal(1)
    expect((await nmg(['account', 'get', 'gcfb', '--platform', 'douyin', '--show'], undefined, noBus)).stderr).to.include('the OS keychain is unavailable')
    expect((await nmg(['account', 'list'], undefined, noBus)).code).to.equal(0)
  })

  it('an incident on this PC names its accounts in the report draft, and its evidence holds no secret (checked below)', async function () {
    requireLab(this)
    const lab = await createLab()
    try {
      // disconnect never opens the keychain: it runs here without the session bus at all.
      const inPc = async (args: string[]): Promise<CliResult> => {
        const result = await runCli(args, {command: lab.inNs([process.execPath, DEV_BIN]), env: {DBUS_SESSION_BUS_ADDRESS: '', NMG_CONFIG_DIR: configDir, NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: stateDir}})
        outputs.push([`stdout of ${args.join(' ')}`, result.stdout], [`stderr of ${args.join(' ')}`, result.stderr])
        return result
      }
      const cut = await inPc(['disconnect', '--confirm', hostname(), '--json'])
      expect(cut.code, cut.stderr).to.equal(0)
      const {report_path: report} = (JSON.parse(cut.stdout) as {result: {report_path: string}}).result
      expect(readFileSync(report, 'utf8')).to.include('gcfb').and.to.include('张三')
      expect((await inPc(['reconnect', '--confirm', hostname(), '--json'])).code).to.equal(0)
    } finally {
      await lab.destroy()
    }
  })

  it('leaves no password, nor a plain hash of one, in any file of the config and state dirs or in any output', () => {
    const files = [...filesUnder(configDir), ...filesUnder(stateDir)]
    expect(files.map((f) => f.replace(configDir, 'CONFIG'))).to.include('CONFIG/accounts.json')
    const texts: Array<[string, string]> = [...files.map((f): [string, string] => [f, readFileSync(f).toString('latin1') + readFileSync(f, 'utf8')]), ...outputs]
    expect(outputs.length).to.be.greaterThan(30)
    for (const secret of SECRETS) {
      for (const form of leakForms(secret)) {
        for (const [what, text] of texts) expect(text.includes(form), `${what} contains ${secret} as ${form.slice(0, 12)}…`).to.equal(false)
      }
    }
  })
})
