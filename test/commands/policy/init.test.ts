import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {expect} from 'chai'
import {parse} from 'yaml'

import {compliantFacts} from '../../helpers/facts-builder.js'
import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {DEV_BIN, runCli} from '../../helpers/run-cli.js'
import {openCheckoutToOthers} from '../../helpers/traverse-checkout.js'

const ANSWERS = [
  '--unit-zh', '石家庄市藁城区人民政府办公室',
  '--unit-en', 'Gaocheng District Government Office',
  '--contact-zh', '区委网信办值班室',
  '--contact-en', 'District cyberspace office duty room',
  '--wangxin-phone', '0311-00000000',
  '--police-phone', '0311-00000001',
]
const NETWORKS = ['--ssid', 'GC-ZWGK-5F', '--ssid', 'GC-ZWGK-3F', '--subnet', '10.13.0.0/16', '--no-vpn-always']

const root = process.platform !== 'win32' && process.getuid?.() === 0

/** A state folder and a machine-policy place of its own; `file` is where init writes by default (root: the machine's). */
const freshState = (): {env: Record<string, string>; dir: string; file: string} => {
  const dir = mkdtempSync(join(tmpdir(), 'nmg-policy-init-'))
  const machine = join(dir, 'machine', 'policy.yaml')
  return {dir, env: {NMG_MACHINE_POLICY: machine, NMG_STATE_DIR: dir}, file: root ? machine : join(dir, 'policy.yaml')}
}

describe('nm-guard policy init (CLI)', function () {
  this.timeout(120_000)

  it('writes the district policy (root: the machine\'s, else the account\'s), which audit, show and validate then use', async () => {
    const {dir, env, file} = freshState()
    const made = await runCli(['policy', 'init', ...ANSWERS, ...NETWORKS], {env})
    expect(made.stderr).to.equal('')
    expect(made.code).to.equal(0)
    expect(made.stdout).to.include(`Wrote ${file}`).and.include('now use it without --policy')
    const policy = parse(readFileSync(file, 'utf8'))
    expect(policy.policy.id).to.equal('district-gaocheng-district-government-office')
    expect(policy.variables).to.include({unit_name: '石家庄市藁城区人民政府办公室', vpn_required_always: false})
    expect(policy.variables.approved_ssids).to.deep.equal(['GC-ZWGK-5F', 'GC-ZWGK-3F'])

    const show = await runCli(['policy', 'show'], {env})
    expect(show.stdout.split('\n')[0]).to.equal(
      root
        ? `Used without --policy: ${file} (this PC's district policy, made by \`nm-guard policy init\` as root)`
        : `In use without --policy: ${file} (this district's policy, made by \`nm-guard policy init\`)`,
    )
    const validate = await runCli(['policy', 'validate', '--json'], {env})
    const result = JSON.parse(validate.stdout).result
    expect(result).to.include({file, valid: true})
    expect(result.diff.variables).to.deep.include({from: null, name: 'approved_subnets', to: ['10.13.0.0/16']})
    expect(result.diff.checks).to.deep.equal({added: [], changed: [], removed: []})

    const facts = join(dir, 'facts.json')
    writeFileSync(facts, JSON.stringify(compliantFacts('win32')))
    const audit = await runCli(['audit', '--facts', facts, '--format', 'json'], {env})
    expect(JSON.parse(audit.stdout).policy.id).to.equal('district-gaocheng-district-government-office')
  })

  it('refuses to replace the file without --force, before asking anything', async () => {
    const {env, file} = freshState()
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, '# mine\n')
    const refused = await runCli(['policy', 'init'], {env})
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.equal(`nm-guard: ${file} already exists; nothing was written. Add --force to replace it\n`)
    expect(readFileSync(file, 'utf8')).to.equal('# mine\n')
    const forced = await runCli(['policy', 'init', '--force', ...ANSWERS, ...NETWORKS], {env})
    expect(forced.code).to.equal(0)
    expect(readFileSync(file, 'utf8')).to.include('district-gaocheng-district-government-office')
  })

  it('without a terminal names every answer that is missing, and writes nothing', async () => {
    const {env, file} = freshState()
    const r = await runCli(['policy', 'init', '--unit-zh', '藁城区政府办', '--lang', 'zh-CN'], {env})
    expect(r.code).to.equal(2)
    expect(r.stderr).to.equal('nm-guard: 没有终端时，每项回答都必须用参数给出；缺少：--unit-en, --contact-zh, --contact-en, --wangxin-phone, --police-phone, --ssid (or --wired-only), --subnet\n')
    expect(existsSync(file)).to.equal(false)
  })

  it('root\'s policy is every account\'s: an unprivileged user\'s own audit uses it', async function () {
    requirePart(this, root, 'root (to drop to an unprivileged user)')
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const {dir, env, file} = freshState()
    chmodSync(dir, 0o755)
    expect((await runCli(['policy', 'init', ...ANSWERS, ...NETWORKS], {env})).code).to.equal(0)
    expect(statSync(dirname(file)).mode & 0o777).to.equal(0o755)
    expect(statSync(file).mode & 0o777).to.equal(0o644)
    const own = mkdtempSync(join(tmpdir(), 'nmg-nobody-state-'))
    chmodSync(own, 0o777)
    const restore = openCheckoutToOthers()
    try {
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, DEV_BIN]
      const show = await runCli(['policy', 'show', '--lang', 'en'], {command: asNobody, env: {NMG_MACHINE_POLICY: file, NMG_STATE_DIR: own}})
      expect(show.code, show.stderr).to.equal(0)
      expect(show.stdout.split('\n')[0]).to.equal(`Used without --policy: ${file} (this PC's district policy, made by \`nm-guard policy init\` as root)`)
    } finally {
      restore()
    }
  })

  it('refuses a bad answer as a usage error naming its flag, in the user language', async () => {
    const {env} = freshState()
    const en = await runCli(['policy', 'init', ...ANSWERS, '--ssid', 'GC-ZWGK-5F', '--subnet', '10.13.5.1/16'], {env})
    expect(en.code).to.equal(2)
    expect(en.stderr).to.equal('nm-guard: --subnet: "10.13.5.1/16" is an address inside a range, not the range itself: did you mean 10.13.0.0/16?\n')
    const zh = await runCli(['policy', 'init', ...ANSWERS, '--wired-only', '--subnet', '10.13.0.0/16', '--kms-host', 'kms_01.gov.cn', '--lang', 'zh-CN'], {env})
    expect(zh.code).to.equal(2)
    expect(zh.stderr).to.equal('nm-guard: --kms-host：“kms_01.gov.cn”不是主机名或 IP 地址（如 kms.example.gov.cn 或 10.13.0.5）\n')
    const answers = ANSWERS.map((value, i) => (ANSWERS[i - 1] === '--contact-en' ? 'A'.repeat(90) : value))
    const long = await runCli(['policy', 'init', ...answers, '--wired-only', '--subnet', '10.13.0.0/16'], {env})
    expect(long.code).to.equal(2)
    expect(long.stderr).to.match(/^nm-guard: --contact-en: the contact line would be \d+ characters/)
  })

  it('with --yes takes the networks the PC is on (here from a snapshot), and --output writes elsewhere', async () => {
    const {dir, env} = freshState()
    const facts = compliantFacts('linux')
    facts.tables.wifi = {rows: [{bssid: null, connected: true, interface: 'wlan0', security: 'wpa2', ssid: 'GC-ZWGK-5F'}]}
    const snapshot = join(dir, 'facts.json')
    writeFileSync(snapshot, JSON.stringify(facts))
    const out = join(dir, 'district.yaml')
    const r = await runCli(['policy', 'init', ...ANSWERS, '--yes', '--facts', snapshot, '--output', out, '--json'], {env})
    expect(r.code).to.equal(0)
    const result = JSON.parse(r.stdout).result
    expect(result).to.include({active: false, checks: parse(readFileSync(out, 'utf8')).checks.length, file: out})
    expect(result.answers).to.deep.include({kmsHosts: [], ssids: ['GC-ZWGK-5F'], subnets: ['10.13.5.0/24'], vpnAlways: false})
    expect(existsSync(join(dir, 'policy.yaml'))).to.equal(false)
    const plain = await runCli(['policy', 'init', ...ANSWERS, '--wired-only', '--subnet', '10.13.0.0/16', '--output', join(dir, 'wired.yaml')], {env})
    expect(plain.stdout).to.include(`Use it with \`nm-guard audit --policy ${join(dir, 'wired.yaml')}\``)
    expect(parse(readFileSync(join(dir, 'wired.yaml'), 'utf8')).variables.approved_ssids).to.deep.equal([])
  })
})
