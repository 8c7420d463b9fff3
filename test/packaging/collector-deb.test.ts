// The collector package installed on this machine: its own system user and folder, its service's
// ExecStart run as that user with the bundled runtime serving /healthz over TLS, and removal that
// keeps the database unless purged.
import {type ChildProcess, execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import {request} from 'node:https'

import {expect} from 'chai'

import {freePort} from '../helpers/collector-process.js'
import {packageFile} from '../helpers/packages.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'

const USER = 'nm-guard-collector'
const DIR = '/var/lib/nm-guard-collector'
const UNIT = '/lib/systemd/system/nm-guard-collector.service'
const SETPRIV = '/usr/bin/setpriv'
const ENV_FILE = '/etc/nm-guard-collector/collector.env'

const asUser = (argv: string[]): string[] => [SETPRIV, `--reuid=${USER}`, `--regid=${USER}`, '--init-groups', '--reset-env', ...argv]

function runAs(argv: string[]): {code: null | number; stdout: string; stderr: string} {
  const [cmd, ...args] = asUser(argv)
  const r = spawnSync(cmd as string, args, {cwd: '/', encoding: 'utf8', timeout: 60_000})
  return {code: r.status, stderr: r.stderr, stdout: r.stdout}
}

/** The unit's Environment= assignments and its ExecStart words with ${VAR} expanded from them. */
function execStart(unit: string, overrides: Record<string, string>): {argv: string[]; env: Record<string, string>} {
  const env: Record<string, string> = {}
  for (const [, line] of unit.matchAll(/^Environment=(.*)$/gm)) {
    for (const pair of (line as string).split(/\s+/)) {
      const eq = pair.indexOf('=')
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
  }
  Object.assign(env, overrides)
  const words = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').split(/\s+/)
  return {argv: words.map((w) => w.replace(/\$\{(\w+)\}/g, (_, name: string) => env[name] ?? '')), env}
}

function healthz(port: number, ca: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({agent: false, ca, host: '127.0.0.1', path: '/healthz', port, timeout: 2000}, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => resolve(0))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

describe('packaging: the collector .deb', function () {
  this.timeout(300_000)
  let server: ChildProcess | undefined

  before(async function () {
    requirePart(this, isRoot() && hasCommand('apt-get') && existsSync(SETPRIV), 'root with apt-get and setpriv (util-linux), to install the collector package')
    requirePart(this, !existsSync('/usr/lib/nm-guard-collector') && !existsSync(DIR), 'a machine without nm-guard-collector installed')
    const deb = await packageFile('collector-deb-amd64')
    execFileSync('/usr/bin/apt-get', ['install', '-y', '--no-install-recommends', deb], {env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}, stdio: 'ignore'})
  })

  after(function () {
    server?.kill('SIGKILL')
    spawnSync('/usr/bin/dpkg', ['--purge', 'nm-guard-collector'], {stdio: 'ignore'})
  })

  it('runs as its own system user, in a folder only that user can open', function () {
    expect(execFileSync('/usr/bin/getent', ['passwd', USER], {encoding: 'utf8'})).to.match(/:\/usr\/sbin\/nologin\n$/)
    const info = statSync(DIR)
    expect(info.mode & 0o777).to.equal(0o700)
    expect(Number(execFileSync('/usr/bin/id', ['-u', USER], {encoding: 'utf8'}))).to.equal(info.uid)
    expect(statSync(ENV_FILE).mode & 0o777).to.equal(0o640)
  })

  it("its service's ExecStart, run as that user, serves /healthz over TLS with the bundled runtime", async function () {
    const init = runAs(['/usr/bin/nm-guard-collector', 'init', '--host', '127.0.0.1', '--json'])
    expect(init.code, init.stderr).to.equal(0)
    expect((JSON.parse(init.stdout) as {result: {ca_fingerprint: string}}).result.ca_fingerprint).to.match(/^[0-9a-f:]{64,}$/i)
    // The database through the bundled better-sqlite3: a token is stored in it.
    const token = runAs(['/usr/bin/nm-guard-collector', 'token', 'create', '--json'])
    expect(token.code, token.stderr).to.equal(0)
    // The command reads the service's settings file: a database named there is the one it opens.
    const settings = readFileSync(ENV_FILE, 'utf8')
    writeFileSync(ENV_FILE, `${settings}NMG_COLLECTOR_DB=sqlite:${DIR}/other.db\n`)
    expect(runAs(['/usr/bin/nm-guard-collector', 'token', 'create']).code).to.equal(0)
    expect(existsSync(`${DIR}/other.db`)).to.equal(true)
    writeFileSync(ENV_FILE, settings)

    const port = await freePort()
    const {argv, env} = execStart(readFileSync(UNIT, 'utf8'), {LISTEN_HOST: '127.0.0.1', LISTEN_PORT: String(port)})
    expect(argv.slice(0, 2)).to.deep.equal(['/usr/lib/nm-guard-collector/node', '/usr/lib/nm-guard-collector/app/bin/run.js'])
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`)
    const [cmd, ...args] = asUser(['/usr/bin/env', ...envArgs, ...argv])
    server = spawn(cmd as string, args, {cwd: '/', stdio: 'ignore'})
    const ca = readFileSync(`${DIR}/ca.cert.pem`, 'utf8')
    let status = 0
    for (let i = 0; i < 120 && status !== 200; i++) {
      status = await healthz(port, ca)
      if (status !== 200) await new Promise((r) => setTimeout(r, 250))
    }
    expect(status).to.equal(200)
    // The process serving is the package's runtime, not a system node.
    const children = execFileSync('/usr/bin/pgrep', ['-u', USER, '-f', 'collector serve'], {encoding: 'utf8'}).trim().split('\n')
    expect(children.map((pid) => readlinkSync(`/proc/${pid}/exe`))).to.include('/usr/lib/nm-guard-collector/node')
  })

  it('apt remove keeps the database; apt purge deletes it and the user', async function () {
    server?.kill('SIGKILL')
    execFileSync('/usr/bin/apt-get', ['remove', '-y', 'nm-guard-collector'], {env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}, stdio: 'ignore'})
    expect(existsSync('/usr/lib/nm-guard-collector')).to.equal(false)
    expect(existsSync(UNIT)).to.equal(false)
    expect(existsSync(`${DIR}/collector.db`)).to.equal(true)
    expect(existsSync(`${DIR}/ca.key.pem`)).to.equal(true)
    execFileSync('/usr/bin/apt-get', ['purge', '-y', 'nm-guard-collector'], {env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}, stdio: 'ignore'})
    expect(existsSync(DIR)).to.equal(false)
    expect(existsSync('/etc/nm-guard-collector')).to.equal(false)
    expect(spawnSync('/usr/bin/getent', ['passwd', USER]).status).to.equal(2)
  })
})
