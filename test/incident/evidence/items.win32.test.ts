import {join} from 'node:path'

import {expect} from 'chai'

import {collectEvidence} from '../../../src/incident/evidence/collect.js'
import {WIN32_ITEMS, WIN32_PROCESSES_SCRIPT, WIN32_TCP_SCRIPT, WIN32_UDP_SCRIPT} from '../../../src/incident/evidence/items.win32.js'
import {verifyEvidence} from '../../../src/incident/evidence/manifest.js'
import type {ExecOptions} from '../../../src/os/types.js'
import {toolName} from '../../../src/os/tools.js'
import {psStdout} from '../../facts/win32/ps-fixtures.js'
import {fakeExec, fixtureBytes} from '../../helpers/fake-exec.js'
import {itemNamed, localSigner, readEvidence, useTempDir} from './evidence-helpers.js'

const fx = (name: string): Buffer => fixtureBytes(`win32/evidence/${name}`)

/** PowerShell items: the script (sent on stdin), what the recorded PowerShell returned, and the evidence file. */
const SCRIPTS: [string, string, string][] = [
  ['network.tcp', WIN32_TCP_SCRIPT, 'get-nettcpconnection.json'],
  ['network.udp', WIN32_UDP_SCRIPT, 'get-netudpendpoint.json'],
  ['processes.executables', WIN32_PROCESSES_SCRIPT, 'processes.json'],
]

const COMMANDS: [string, string, string][] = [
  ['network.connections', 'netstat -ano', 'netstat-ano-zh-gbk.bin'],
  ['processes.tasklist', 'tasklist /v /fo csv', 'tasklist-v.csv'],
  ['users.sessions', 'query user', 'query-user.txt'],
  ['network.routes', 'route print', 'route-print.txt'],
  ['network.neighbours', 'arp -a', 'arp-a.txt'],
  ['dns.ipconfig', 'ipconfig /all', 'ipconfig-all.txt'],
  ['dns.cache', 'ipconfig /displaydns', 'ipconfig-displaydns.txt'],
  ['firewall.profiles', 'netsh advfirewall show allprofiles', 'netsh-advfirewall-allprofiles.txt'],
  ['firewall.rules', 'netsh advfirewall firewall show rule name=all verbose', 'netsh-advfirewall-rules.txt'],
  ['logs.security', 'wevtutil qe Security /c:500 /rd:true /f:text', 'wevtutil-security.txt'],
  ['logs.system', 'wevtutil qe System /c:500 /rd:true /f:text', 'wevtutil-system.txt'],
]

describe('incident evidence items (Windows, recorded output)', () => {
  const tmp = useTempDir('ev-win32')

  it('writes every item to its file as the bytes Windows printed (GBK stays GBK)', async () => {
    const answers: Record<string, {raw: Buffer}> = {}
    for (const [, command, file] of COMMANDS) answers[command] = {raw: fx(file)}
    const tools = fakeExec(answers)
    const scripts: string[] = []
    const exec = Object.assign(
      async (file: string, args: string[], options?: ExecOptions) => {
        if (toolName(file) !== 'powershell') return tools(file, args, options)
        const script = options?.input?.toString() ?? ''
        scripts.push(script)
        const known = SCRIPTS.find(([, s]) => script.includes(s))
        // Any other PowerShell call is the facts batch of the installed_software collector.
        return {code: 0, raw: known ? Buffer.from(psStdout(...(JSON.parse(fx(known[2]).toString()) as unknown[]))) : fixtureBytes('win32/installed-software-batch-utf16le.bin'), stderr: '', stdout: ''}
      },
      {calls: tools.calls},
    )
    const dir = join(tmp.path, 'evidence')
    const {manifest} = await collectEvidence({
      dir,
      exec,
      hostname: 'UOS-PC01',
      incidentId: 'inc-w',
      items: WIN32_ITEMS,
      platform: 'win32',
      signer: await localSigner(tmp.path),
      stateDir: join(tmp.path, 'no-state'),
    })
    for (const [name, command, file] of COMMANDS) {
      const item = itemNamed(manifest, name)
      expect(item.status, `${name}: ${item.error}`).to.equal('ok')
      expect(readEvidence(dir, item.files[0] as string).equals(fx(file)), name).to.equal(true)
      expect(exec.calls.map((c) => c.join(' '))).to.include(command)
    }
    // PowerShell's output is kept as the JSON its values are, whatever the console printed around it.
    for (const [name, script, file] of SCRIPTS) {
      const item = itemNamed(manifest, name)
      expect(item.status, `${name}: ${item.error}`).to.equal('ok')
      expect(JSON.parse(readEvidence(dir, item.files[0] as string).toString()), name).to.deep.equal(JSON.parse(fx(file).toString()))
      expect(scripts.some((s) => s.includes(script))).to.equal(true)
    }
    // Kept undecoded: the GBK bytes of 活动连接 are in the file, not their UTF-8 form.
    const netstat = readEvidence(dir, 'network/netstat-ano.txt')
    expect(netstat.includes(Buffer.from('活动连接', 'utf8'))).to.equal(false)
    expect(netstat.subarray(0, 10).toString('latin1')).to.equal('\r\n»î¶¯Á¬½Ó')

    const software = JSON.parse(readEvidence(dir, 'software/installed.json').toString()) as {name: string}[]
    expect(software.map((s) => s.name)).to.include('360安全卫士')
    expect(itemNamed(manifest, 'audit.last_report')).to.deep.include({error: 'no audit report yet', status: 'failed'})
    expect(manifest.items.filter((i) => i.status === 'failed').map((i) => i.name)).to.deep.equal(['audit.last_report'])
    expect((await verifyEvidence(dir)).ok).to.equal(true)
  })

  it('records a missing PowerShell per item and still collects the rest', async () => {
    const exec = fakeExec({'netstat -ano': {raw: fx('netstat-ano-zh-gbk.bin')}})
    const dir = join(tmp.path, 'evidence')
    const {manifest} = await collectEvidence({dir, exec, hostname: 'h', incidentId: 'i', items: WIN32_ITEMS, platform: 'win32', signer: await localSigner(tmp.path)})
    expect(itemNamed(manifest, 'network.connections').status).to.equal('ok')
    expect(itemNamed(manifest, 'processes.executables')).to.deep.include({error: 'powershell.exe not found', status: 'failed'})
    expect(itemNamed(manifest, 'logs.security')).to.deep.include({error: 'wevtutil not found', status: 'failed'})
  })

  it('hashes each distinct executable once in the processes script', () => {
    expect(WIN32_PROCESSES_SCRIPT).to.contain('Get-CimInstance Win32_Process')
    expect(WIN32_PROCESSES_SCRIPT).to.contain('Get-FileHash -Algorithm SHA256 -LiteralPath $p.ExecutablePath')
    expect(WIN32_PROCESSES_SCRIPT).to.contain('-not $hashes.ContainsKey($p.ExecutablePath)')
  })
})
