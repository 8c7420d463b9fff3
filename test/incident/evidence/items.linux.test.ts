import {createHash} from 'node:crypto'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {DPKG_QUERY_ARGS} from '../../../src/facts/linux/packages.js'
import {collectEvidence} from '../../../src/incident/evidence/collect.js'
import {linuxItems} from '../../../src/incident/evidence/items.linux.js'
import {verifyEvidence} from '../../../src/incident/evidence/manifest.js'
import {fakeExec, fixture, fixtureBytes} from '../../helpers/fake-exec.js'
import {itemNamed, localSigner, readEvidence, useTempDir} from './evidence-helpers.js'

const fx = (name: string): Buffer => fixtureBytes(`linux/evidence/${name}`)

/** Each command item: the command line, its recorded output, the file it must land in byte for byte. */
const COMMANDS: [string, string, string][] = [
  ['network.connections', 'ss -tunapeo', 'ss-tunapeo.txt'],
  ['network.listening', 'ss -tulnpe', 'ss-tulnpe.txt'],
  ['processes.ps', 'ps -eo pid,ppid,user,lstart,stat,args --sort pid', 'ps.txt'],
  ['users.who', 'who -a', 'who-a.txt'],
  ['users.sessions', 'loginctl list-sessions --no-pager', 'loginctl-list-sessions.txt'],
  ['users.last', 'last -F -n 200', 'last.txt'],
  ['network.routes', 'ip route show table all', 'ip-route-all.txt'],
  ['network.routes6', 'ip -6 route show table all', 'ip6-route-all.txt'],
  ['network.neighbours', 'ip neigh show', 'ip-neigh.txt'],
  ['network.addresses', 'ip addr show', 'ip-addr.txt'],
  ['dns.resolvectl', 'resolvectl status --no-pager', 'resolvectl-status.txt'],
  ['firewall.nft', 'nft list ruleset', 'nft-list-ruleset.txt'],
  ['firewall.iptables', 'iptables-save', 'iptables-save.txt'],
  ['firewall.ip6tables', 'ip6tables-save', 'ip6tables-save.txt'],
  ['logs.journal', 'journalctl --since -24h -n 2000 -o short-iso --no-pager', 'journalctl-24h.txt'],
]

/** A fake root (etc, var/log, the state dir) and a fake /proc with two processes sharing one binary. */
function fakeMachine(base: string): {procRoot: string; root: string; state: string; binary: Buffer} {
  const root = join(base, 'root')
  mkdirSync(join(root, 'etc'), {recursive: true})
  mkdirSync(join(root, 'var/log'), {recursive: true})
  writeFileSync(join(root, 'etc/resolv.conf'), fx('resolv.conf'))
  writeFileSync(join(root, 'etc/hosts'), fx('hosts'))
  writeFileSync(join(root, 'var/log/auth.log'), fx('auth.log'))
  const binary = Buffer.from('\u007fELF fake updater binary')
  writeFileSync(join(base, 'updater'), binary)
  const procRoot = join(base, 'proc')
  for (const pid of [4211, 4212]) {
    const dir = join(procRoot, String(pid))
    mkdirSync(dir, {recursive: true})
    symlinkSync(join(base, 'updater'), join(dir, 'exe'))
    writeFileSync(join(dir, 'comm'), 'updater\n')
    writeFileSync(join(dir, 'cmdline'), '/tmp/.cache/updater\0-c\u0000203.0.113.77:443\0')
    writeFileSync(join(dir, 'status'), `Name:\tupdater\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n`)
  }
  const state = join(base, 'state')
  mkdirSync(state)
  writeFileSync(join(state, 'last-report.json'), '{"schema":"nm-guard/report@1","score":62}\n')
  return {binary, procRoot, root, state}
}

describe('incident evidence items (Linux, recorded output)', () => {
  const tmp = useTempDir('ev-linux')

  it('writes every item to its file, byte for byte, and signs a manifest that verifies', async () => {
    const machine = fakeMachine(tmp.path)
    const answers: Record<string, {raw: Buffer} | string> = {[['dpkg-query', ...DPKG_QUERY_ARGS].join(' ')]: fixture('linux/dpkg-query-debian12.txt')}
    for (const [, command, file] of COMMANDS) answers[command] = {raw: fx(file)}
    const exec = fakeExec(answers)
    const dir = join(tmp.path, 'evidence')
    const {manifest} = await collectEvidence({
      dir,
      exec,
      hostname: 'uos-pc01',
      incidentId: 'inc-1',
      items: linuxItems({procRoot: machine.procRoot, root: machine.root}),
      platform: 'linux',
      signer: await localSigner(tmp.path),
      stateDir: machine.state,
    })

    for (const [name, command, file] of COMMANDS) {
      const item = itemNamed(manifest, name)
      expect(item.status, `${name}: ${item.error}`).to.equal('ok')
      const [out] = item.files
      expect(readEvidence(dir, out as string).equals(fx(file)), `${name} → ${out}`).to.equal(true)
      expect(exec.calls.map((c) => c.join(' '))).to.include(command)
    }
    expect(readEvidence(dir, 'dns/resolv.conf').equals(fx('resolv.conf'))).to.equal(true)
    expect(readEvidence(dir, 'dns/hosts').equals(fx('hosts'))).to.equal(true)
    expect(readEvidence(dir, 'logs/auth.log.tail').equals(fx('auth.log'))).to.equal(true)
    expect(readEvidence(dir, 'audit/last-report.json').toString()).to.contain('"score":62')
    expect(itemNamed(manifest, 'logs.secure')).to.include({error: `${join(machine.root, 'var/log/secure')} does not exist`, status: 'failed'})

    const software = JSON.parse(readEvidence(dir, 'software/installed.json').toString()) as {name: string}[]
    expect(software.map((s) => s.name)).to.include('adduser')

    const scan = JSON.parse(readEvidence(dir, 'processes/processes.json').toString()) as {processes: {pid: number; sha256: string; cmdline: string; uid: number}[]; hashed_files: number}
    const sha = createHash('sha256').update(machine.binary).digest('hex')
    expect(scan.processes.map((p) => [p.pid, p.sha256, p.uid])).to.deep.equal([
      [4211, sha, 1000],
      [4212, sha, 1000],
    ])
    expect(scan.processes[0]?.cmdline).to.equal('/tmp/.cache/updater -c 203.0.113.77:443')
    expect(scan.hashed_files, 'one binary shared by two processes is hashed once').to.equal(1)

    const failed = manifest.items.filter((i) => i.status === 'failed').map((i) => i.name)
    expect(failed).to.deep.equal(['logs.secure'])
    expect((await verifyEvidence(dir)).ok).to.equal(true)
  })

  it('keeps the output of a command that fails and records why (loginctl without systemd)', async () => {
    const exec = fakeExec({'loginctl list-sessions --no-pager': {code: 1, stderr: fixture('linux/evidence/loginctl-no-systemd.stderr.txt')}})
    const dir = join(tmp.path, 'evidence')
    const items = linuxItems().filter((i) => i.name === 'users.sessions' || i.name === 'network.connections')
    const {manifest} = await collectEvidence({dir, exec, hostname: 'h', incidentId: 'i', items, platform: 'linux', signer: await localSigner(tmp.path)})
    expect(itemNamed(manifest, 'users.sessions')).to.deep.include({
      error: "loginctl list-sessions --no-pager exited 1: System has not been booted with systemd as init system (PID 1). Can't operate.",
      files: [],
      status: 'failed',
    })
    expect(itemNamed(manifest, 'network.connections')).to.deep.include({error: 'ss not found', status: 'failed'})
  })
})
