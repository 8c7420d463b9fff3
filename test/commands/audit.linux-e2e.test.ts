// nm-guard audit for real on this Linux machine: a forbidden package installed with dpkg, and a
// VPN tunnel inside a network namespace made by the test (never the host's own interfaces).
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'
import {DEV_BIN, runCli} from '../helpers/run-cli.js'
import {SAMPLE_POLICY_ARGS} from '../helpers/sample-policy.js'
import {openCheckoutToOthers} from '../helpers/traverse-checkout.js'

interface Result {
  id: string
  status: string
  evidence: {rules: Array<{fact: string; matched: Array<Record<string, unknown>>}>}
}

const stateDir = mkdtempSync(join(tmpdir(), 'nmg-e2e-state-'))

async function audit(prefix: string[] = []): Promise<{code: number | null; results: Result[]}> {
  const command = prefix.length > 0 ? [...prefix, process.execPath, DEV_BIN] : undefined
  const r = await runCli(['audit', '--format', 'json', ...SAMPLE_POLICY_ARGS], {command, env: {NMG_STATE_DIR: stateDir}})
  expect(r.code, r.stderr).to.be.oneOf([0, 3])
  return {code: r.code, results: (JSON.parse(r.stdout) as {results: Result[]}).results}
}

const check = (results: Result[], id: string): Result => results.find((r) => r.id === id) as Result

/** dpkg, waiting (up to a minute) while another package manager holds the dpkg lock. */
async function dpkg(args: string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('dpkg', args, {stdio: ['ignore', 'ignore', 'pipe']})
      return
    } catch (error) {
      const stderr = String((error as {stderr?: Buffer}).stderr ?? '')
      if (!/lock/i.test(stderr) || attempt >= 60) throw new Error(`dpkg ${args.join(' ')}: ${stderr.trim()}`)
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}

describe('nm-guard audit on this Linux machine (real dpkg, real network namespace)', function () {
  this.timeout(180_000)

  before(function () {
    if (process.platform !== 'linux') this.skip()
  })

  describe('a remote-control tool installed as a .deb', () => {
    const pkg = 'todesk'
    let installed = false

    before(function () {
      requirePart(this, isRoot(), 'root (dpkg -i needs it)')
      requirePart(this, hasCommand('dpkg-deb') && hasCommand('dpkg'), 'dpkg-deb and dpkg (package dpkg)')
    })

    after(() => {
      if (installed) return dpkg(['--purge', pkg])
    })

    it('fails no-remote-control-tools naming the package, then passes once it is removed', async () => {
      const root = mkdtempSync(join(tmpdir(), 'nmg-deb-'))
      mkdirSync(join(root, 'DEBIAN'))
      mkdirSync(join(root, 'opt', 'todesk'), {recursive: true})
      writeFileSync(join(root, 'opt', 'todesk', 'README'), 'nm-guard test package\n')
      writeFileSync(
        join(root, 'DEBIAN', 'control'),
        `Package: ${pkg}\nVersion: 4.7.2.0-nmgtest\nArchitecture: all\nMaintainer: nm-guard tests <test@nm-guard.invalid>\nDescription: test stand-in named after the ToDesk remote-control tool\n`,
      )
      const deb = join(mkdtempSync(join(tmpdir(), 'nmg-deb-out-')), `${pkg}-nmgtest.deb`)
      execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, deb], {stdio: 'ignore'})
      await dpkg(['-i', deb])
      installed = true

      const before = check((await audit()).results, 'no-remote-control-tools')
      expect(before.status).to.equal('fail')
      const software = before.evidence.rules.find((r) => r.fact === 'installed_software')
      expect(software?.matched).to.deep.include({name: pkg, publisher: 'nm-guard tests <test@nm-guard.invalid>', source: 'dpkg', version: '4.7.2.0-nmgtest'})

      await dpkg(['--purge', pkg])
      installed = false
      const after = check((await audit()).results, 'no-remote-control-tools')
      expect(after.status).to.equal('pass')
    })
  })

  describe('run without root', () => {
    let restore = (): void => {}

    before(function () {
      requirePart(this, isRoot(), 'root (to drop to an unprivileged user)')
      requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
      restore = openCheckoutToOthers()
    })

    after(() => restore())

    it('reports the checks that need root as error with the reason, never as pass', async () => {
      const state = mkdtempSync(join(tmpdir(), 'nmg-nobody-'))
      chmodSync(state, 0o777)
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
      const r = await runCli(['audit', '--format', 'json'], {command: [...asNobody, process.execPath, DEV_BIN], env: {NMG_STATE_DIR: state}})
      expect(r.code, r.stderr).to.equal(3)
      const report = JSON.parse(r.stdout) as {facts: {unavailable: Record<string, string>}; results: Result[]}
      expect(report.facts.unavailable.firewall).to.match(/needs administrator\/root/)
      const firewall = check(report.results, 'firewall-enabled')
      expect(firewall.status).to.equal('error')
      expect(JSON.stringify(firewall.evidence)).to.match(/"key":"factError\.needsAdmin"/)
    })
  })

  describe('a VPN tunnel in a network namespace', () => {
    const ns = `nmg-vpn-${process.pid}`
    let holder: ChildProcess | undefined

    before(function () {
      requirePart(this, isRoot(), 'root (ip netns needs it)')
      requirePart(this, hasCommand('ip'), 'ip (package iproute2)')
      requirePart(this, hasCommand('python3'), 'python3 (package python3), which holds the tun device open like a VPN client')
      execFileSync('ip', ['netns', 'add', ns])
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
    })

    after(() => {
      holder?.kill('SIGKILL')
      try {
        execFileSync('ip', ['netns', 'delete', ns], {stdio: 'ignore'})
      } catch {
        // already gone
      }
    })

    it('fails the VPN check without a tunnel and passes once a tun interface is up', async () => {
      const inNs = ['ip', 'netns', 'exec', ns]
      const without = check((await audit(inNs)).results, 'vpn-outside-approved-networks')
      expect(without.status).to.equal('fail')

      // A VPN client holds its tun device open; python3 does the same TUNSETIFF ioctl.
      const tun = `import fcntl, os, struct, sys
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', b'tun0', 0x0001 | 0x1000))
print('ready', flush=True)
sys.stdin.read()`
      holder = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', tun], {stdio: ['pipe', 'pipe', 'inherit']})
      await new Promise<void>((resolve, reject) => {
        holder?.stdout?.once('data', () => resolve())
        holder?.once('exit', (code) => reject(new Error(`tun holder exited ${code}`)))
      })
      execFileSync('ip', ['-n', ns, 'addr', 'add', '10.8.0.2/24', 'dev', 'tun0'])
      execFileSync('ip', ['-n', ns, 'link', 'set', 'tun0', 'up'])

      const withTun = check((await audit(inNs)).results, 'vpn-outside-approved-networks')
      expect(withTun.status).to.equal('pass')
      const vpn = withTun.evidence.rules.find((r) => r.fact === 'vpn')
      expect(vpn?.matched.map((row) => row.name)).to.include('tun0')
    })
  })
})
