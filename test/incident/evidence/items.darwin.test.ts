import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {collectEvidence} from '../../../src/incident/evidence/collect.js'
import {DARWIN_AUTH_PREDICATE, darwinItems} from '../../../src/incident/evidence/items.darwin.js'
import {verifyEvidence} from '../../../src/incident/evidence/manifest.js'
import {fakeExec, fixture, fixtureBytes} from '../../helpers/fake-exec.js'
import {itemNamed, localSigner, readEvidence, useTempDir} from './evidence-helpers.js'

const fx = (name: string): Buffer => fixtureBytes(`darwin/evidence/${name}`)
const SP = '/usr/sbin/system_profiler SPApplicationsDataType -json -detailLevel mini'
const SHASUM = [
  '/usr/bin/shasum -a 256',
  '/Applications/WeChat.app/Contents/MacOS/WeChat',
  '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
  '/Users/xcb/Library/Application Support/helperd',
  '/sbin/launchd',
  '/usr/sbin/mDNSResponder',
].join(' ')

const COMMANDS: [string, string, string][] = [
  ['network.connections', '/usr/sbin/netstat -anv', 'netstat-anv.txt'],
  ['network.sockets', '/usr/sbin/lsof -nP -i', 'lsof-i.txt'],
  ['users.who', '/usr/bin/who -a', 'who-a.txt'],
  ['users.last', '/usr/bin/last -200', 'last.txt'],
  ['network.routes', '/usr/sbin/netstat -rn', 'netstat-rn.txt'],
  ['network.neighbours', '/usr/sbin/arp -an', 'arp-an.txt'],
  ['network.addresses', '/sbin/ifconfig -a', 'ifconfig-a.txt'],
  ['dns.scutil', '/usr/sbin/scutil --dns', 'scutil-dns.txt'],
  ['firewall.pf', '/sbin/pfctl -sr -a *', 'pfctl-sr.txt'],
  ['firewall.application', '/usr/libexec/ApplicationFirewall/socketfilterfw --getglobalstate', 'socketfilterfw-globalstate.txt'],
  ['logs.auth', `/usr/bin/log show --last 1h --style syslog --predicate ${DARWIN_AUTH_PREDICATE}`, 'log-show-auth.txt'],
  ['logs.system', '/usr/bin/log show --last 1h --style syslog', 'log-show-system.txt'],
]

describe('incident evidence items (macOS, recorded output)', () => {
  const tmp = useTempDir('ev-darwin')

  it('writes every item to its file and hashes each executable once through shasum', async () => {
    const root = join(tmp.path, 'root')
    mkdirSync(join(root, 'etc'), {recursive: true})
    writeFileSync(join(root, 'etc/hosts'), fx('hosts'))
    const answers: Record<string, unknown> = {
      '/bin/ps -axww -o pid=,ppid=,uid=,user=,comm=': {raw: fx('ps-axww.txt')},
      [SHASUM]: {code: 1, raw: fx('shasum.txt'), stderr: fixture('darwin/evidence/shasum-denied.stderr.txt')},
      [SP]: fixture('darwin/system_profiler-applications-mini.json'),
    }
    for (const [, command, file] of COMMANDS) answers[command] = {raw: fx(file)}
    answers['/sbin/pfctl -sr -a *'] = {raw: fx('pfctl-sr.txt'), stderr: fixture('darwin/evidence/pfctl-sr.stderr.txt')}
    const exec = fakeExec(answers as Parameters<typeof fakeExec>[0])
    const dir = join(tmp.path, 'evidence')
    const {manifest} = await collectEvidence({
      dir,
      exec,
      hostname: 'xcb-mac',
      incidentId: 'inc-m',
      items: darwinItems({root}),
      platform: 'darwin',
      signer: await localSigner(tmp.path),
      stateDir: join(tmp.path, 'no-state'),
    })
    for (const [name, command, file] of COMMANDS) {
      const item = itemNamed(manifest, name)
      expect(item.status, `${name}: ${item.error}`).to.equal('ok')
      expect(readEvidence(dir, item.files[0] as string).equals(fx(file)), name).to.equal(true)
      expect(exec.calls.map((c) => c.join(' '))).to.include(command)
    }
    expect(readEvidence(dir, 'dns/hosts').equals(fx('hosts'))).to.equal(true)

    const processes = itemNamed(manifest, 'processes.executables')
    expect(processes.status, processes.error).to.equal('ok')
    expect(processes.files).to.deep.equal(['processes/processes.json', 'processes/ps.txt', 'processes/shasum.txt'])
    expect(exec.calls.filter((c) => c[0] === '/usr/bin/shasum')).to.have.length(1)
    const result = JSON.parse(readEvidence(dir, 'processes/processes.json').toString()) as {problems: string[]; processes: {pid: number; sha256: null | string}[]}
    const hashOf = (pid: number) => result.processes.find((p) => p.pid === pid)?.sha256
    expect(hashOf(6120)).to.equal('0d7a8b9c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d')
    expect(hashOf(6130)).to.equal(hashOf(6120))
    expect(hashOf(412)).to.equal(null)
    expect(hashOf(6200)).to.equal(null)
    expect(result.problems).to.deep.equal(['shasum: /usr/sbin/mDNSResponder: Permission denied'])

    const software = JSON.parse(readEvidence(dir, 'software/installed.json').toString()) as {name: string}[]
    expect(software.map((s) => s.name)).to.include('Safari')
    expect(manifest.items.filter((i) => i.status === 'failed').map((i) => i.name)).to.deep.equal(['audit.last_report'])
    expect((await verifyEvidence(dir)).ok).to.equal(true)
  })
})
