// The amd64 agent package installed on this machine as district IT would: apt, no network (a
// network namespace of its own), no system node (a stub that fails the test if run). It enrolls
// through /etc/nm-guard/agent.conf against a collector the test runs on that namespace's loopback.
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {canIsolate, type IsolatedHost, isolatedHost, SYSTEM_NODE_STUB_EXIT} from '../helpers/isolated-host.js'
import {packageFile} from '../helpers/packages.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'
import {DEV_BIN, runCli} from '../helpers/run-cli.js'

const CONF = '/etc/nm-guard/agent.conf'
const STATE = '/var/lib/nm-guard'
const UNIT_DIR = '/lib/systemd/system'
const WANTS = '/etc/systemd/system/timers.target.wants/nm-guard-audit.timer'
const KEPT = [STATE, '/etc/nm-guard']
const ASIDE = `.before-deb-test-${process.pid}`

/** Every regular file under `dirs` whose bytes contain `needle`. */
function filesContaining(dirs: string[], needle: string): string[] {
  const found: string[] = []
  const check = (path: string) => {
    if (statSync(path).size < 200e6 && readFileSync(path).includes(needle)) found.push(path)
  }
  for (const dir of dirs.filter((d) => existsSync(d))) {
    if (!statSync(dir).isDirectory()) check(dir)
    else for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) if (entry.isFile()) check(join(entry.parentPath, entry.name))
  }
  return found
}

/** What of nm-guard's is on disk, outside the test's own folders. */
function leftovers(): string[] {
  const paths = ['/usr/lib/nm-guard', '/usr/bin/nm-guard', '/etc/nm-guard', STATE, `${UNIT_DIR}/nm-guard-audit.service`, `${UNIT_DIR}/nm-guard-audit.timer`, WANTS, '/usr/share/doc/nm-guard-agent']
  const helper = '/var/lib/systemd/deb-systemd-helper-enabled'
  const helperFiles = existsSync(helper) ? (readdirSync(helper, {recursive: true}) as string[]).filter((f) => f.includes('nm-guard')).map((f) => join(helper, f)) : []
  return [...paths.filter((p) => existsSync(p)), ...helperFiles]
}

describe('packaging: the amd64 agent .deb, installed offline with no system node', function () {
  this.timeout(600_000)
  let host: IsolatedHost
  let deb: string
  let collector: ChildProcess | undefined
  let collectorDir: string
  let fingerprint: string
  let token: string
  const port = 18_443

  before(async function () {
    requirePart(this, isRoot() && hasCommand('apt-get') && hasCommand('nsenter') && canIsolate(), 'root with apt-get, unshare and nsenter (util-linux), to install a package in a namespace without network')
    requirePart(this, host === undefined && !existsSync('/usr/lib/nm-guard'), 'a machine without nm-guard-agent installed')
    // Root's own nm-guard state from other runs on this machine is set aside, and put back after.
    for (const dir of KEPT) if (existsSync(dir)) renameSync(dir, `${dir}${ASIDE}`)
    deb = await packageFile('agent-deb-amd64')
    host = await isolatedHost()
    collectorDir = join(mkdtempSync(join(tmpdir(), 'nmg-debcol-')), 'c')
    fingerprint = (JSON.parse((await runCli(['collector', 'init', '--dir', collectorDir, '--host', '127.0.0.1', '--json'])).stdout) as {result: {ca_fingerprint: string}}).result.ca_fingerprint
    token = (JSON.parse((await runCli(['collector', 'token', 'create', '--dir', collectorDir, '--json'])).stdout) as {result: {token: string}}).result.token
  })

  after(function () {
    collector?.kill('SIGKILL')
    host?.run(['/usr/bin/dpkg', '--purge', 'nm-guard-agent'])
    host?.close()
    for (const dir of KEPT) {
      if (!existsSync(`${dir}${ASIDE}`)) continue
      rmSync(dir, {force: true, recursive: true})
      renameSync(`${dir}${ASIDE}`, dir)
    }
  })

  it('installs although the collector is down, and says why enrollment must wait', function () {
    const conf = `# written by district IT before installing\nCOLLECTOR_URL=https://127.0.0.1:${port}\nENROLL_TOKEN=${token}\nCA_FINGERPRINT=${fingerprint}\n`
    expect(host.run(['/bin/sh', '-c', `install -d -m 0755 /etc/nm-guard && umask 077 && cat > ${CONF}`], {input: conf}).code).to.equal(0)
    const install = host.run(['/usr/bin/apt-get', 'install', '-y', '--no-install-recommends', deb], {env: {LANG: 'en_US.UTF-8'}})
    expect(install.code, install.stderr + install.stdout).to.equal(0)
    expect(install.stdout + install.stderr).to.include('Enrollment did not succeed').and.include('unreachable')
    expect(install.stderr).not.to.include('system node was run')
    expect(existsSync(join(STATE, 'agent', 'enrollment.json'))).to.equal(false)
    // Still needed for the retry; readable by root only.
    expect(readFileSync(CONF, 'utf8')).to.include(token)
    expect(statSync(CONF).mode & 0o077).to.equal(0)
  })

  it('runs on its own runtime: --version and an audit as JSON', function () {
    const version = host.run(['/usr/bin/nm-guard', '--version'])
    expect(version.code, version.stderr).to.equal(0)
    expect(version.stdout).to.match(/^nm-guard\/\d+\.\d+\.\d+ linux-x64 node-v20\./)
    // The wrapper answers --version itself; the runtime prints the same line.
    expect(host.run(['/usr/lib/nm-guard/node', '/usr/lib/nm-guard/app/bin/run.js', '--version']).stdout).to.equal(version.stdout)
    const audit = host.run(['/usr/bin/nm-guard', 'audit', '--format', 'json'])
    expect(audit.code, audit.stderr).to.be.oneOf([0, 3])
    const report = JSON.parse(audit.stdout) as {schema: string; results: unknown[]}
    expect(report.schema).to.match(/^nm-guard\/report@/)
    expect(report.results.length).to.be.greaterThan(10)
    expect(audit.stderr).not.to.include('system node was run')
  })

  it('the system node is really out of reach in here', function () {
    expect(host.run(['/usr/bin/node', '--version']).code).to.equal(SYSTEM_NODE_STUB_EXIT)
  })

  it('installs the daily timer, enabled', function () {
    expect(readFileSync(`${UNIT_DIR}/nm-guard-audit.timer`, 'utf8')).to.include('OnCalendar=').and.include('Persistent=true')
    expect(readFileSync(`${UNIT_DIR}/nm-guard-audit.service`, 'utf8')).to.include('ExecStart="/usr/lib/nm-guard/node" "/usr/lib/nm-guard/app/bin/run.js" "audit" "--report" "--scheduled"')
    expect(existsSync(WANTS)).to.equal(true)
  })

  it('the scheduled run enrolls once the collector is up, reports, and removes the token', async function () {
    collector = spawn(host.netOnly(['/usr/bin/node', DEV_BIN, 'collector', 'serve', '--dir', collectorDir, '--port', String(port), '--host', '127.0.0.1'])[0] as string, host.netOnly(['/usr/bin/node', DEV_BIN, 'collector', 'serve', '--dir', collectorDir, '--port', String(port), '--host', '127.0.0.1']).slice(1), {stdio: 'ignore'})
    let up = false
    for (let i = 0; i < 120 && !up; i++) {
      up = host.run(['/bin/bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).code === 0
      if (!up) await new Promise((r) => setTimeout(r, 500))
    }
    expect(up, 'collector listening in the namespace').to.equal(true)
    // Exactly what systemd would run.
    const unit = readFileSync(`${UNIT_DIR}/nm-guard-audit.service`, 'utf8')
    const execStart = [...(/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string)
    const run = host.run(execStart, {env: {LANG: 'en_US.UTF-8'}})
    expect(run.code, run.stderr).to.be.oneOf([0, 3])
    const enrollment = JSON.parse(readFileSync(join(STATE, 'agent', 'enrollment.json'), 'utf8')) as {agent_id: string}
    const exported = await runCli(['collector', 'export', '--dir', collectorDir, '--format', 'json'])
    expect(exported.stdout).to.include(enrollment.agent_id)
    const scrubbed = readFileSync(CONF, 'utf8')
    expect(scrubbed).not.to.include(token)
    expect(scrubbed).to.include(`COLLECTOR_URL=https://127.0.0.1:${port}`).and.to.include('# ENROLL_TOKEN removed after enrollment')
    expect(filesContaining(['/etc', STATE, '/usr/lib/nm-guard', '/var/log'], token)).to.deep.equal([])
  })

  it('an upgrade (reinstall) keeps the enrollment', function () {
    const before = readFileSync(join(STATE, 'agent', 'enrollment.json'), 'utf8')
    const again = host.run(['/usr/bin/apt-get', 'install', '-y', '--reinstall', deb], {env: {LANG: 'en_US.UTF-8'}})
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stdout).to.include('already enrolled')
    expect(readFileSync(join(STATE, 'agent', 'enrollment.json'), 'utf8')).to.equal(before)
  })

  it('apt remove keeps the state and leaves no timer; apt purge leaves nothing', function () {
    const removed = host.run(['/usr/bin/apt-get', 'remove', '-y', 'nm-guard-agent'])
    expect(removed.code, removed.stderr).to.equal(0)
    expect(existsSync(join(STATE, 'agent', 'enrollment.json'))).to.equal(true)
    expect(existsSync(`${UNIT_DIR}/nm-guard-audit.timer`)).to.equal(false)
    expect(existsSync(WANTS)).to.equal(false)
    expect(existsSync('/usr/bin/nm-guard')).to.equal(false)
    const purged = host.run(['/usr/bin/apt-get', 'purge', '-y', 'nm-guard-agent'])
    expect(purged.code, purged.stderr).to.equal(0)
    expect(leftovers()).to.deep.equal([])
  })
})
