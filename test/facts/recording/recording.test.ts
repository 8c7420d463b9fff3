// Record and replay: what a live gathering read is saved byte for byte, and parsed again exactly.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../../src/cli/user-error.js'
import {gatherFacts} from '../../../src/facts/gather.js'
import {checkManifest, runKey} from '../../../src/facts/recording/manifest.js'
import {prepareRecordingDir, recordingExec} from '../../../src/facts/recording/record-exec.js'
import {gatherReplayed} from '../../../src/facts/recording/gather-recorded.js'
import {readRecording, replayExec} from '../../../src/facts/recording/replay-exec.js'
import {FactError} from '../../../src/os/fact-error.js'
import {recordingDir} from '../../fixtures/win32/build-recordings.js'
import {render, snapshotPath} from '../../fixtures/win32/build-snapshots.js'
import {fakeExec, timeoutError} from '../../helpers/fake-exec.js'

const temp = (name: string): string => mkdtempSync(join(tmpdir(), `nmg-${name}-`))
const about = {arch: 'x64', collected_at: '2026-11-27T08:00:00.000Z', hostname: 'PC-1', nm_guard_version: '0.1.0', os_name: 'Windows', os_version: '10.0', platform: 'win32' as const}

describe('facts recording and replay', () => {
  it('names each run after its command, stably, and keeps long names unique', () => {
    expect(runKey('C:\\Windows\\System32\\netsh.exe', ['wlan', 'show', 'interfaces'])).to.equal('netsh-wlan-show-interfaces')
    expect(runKey('/usr/sbin/nft', ['-j', 'list', 'ruleset'])).to.equal('nft-j-list-ruleset')
    expect(runKey('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ['-NoProfile', '-Command', 'x'], 'powershell-batch')).to.equal('powershell-batch')
    const a = runKey('tool', ['x'.repeat(200), 'a'])
    const b = runKey('tool', ['x'.repeat(200), 'b'])
    expect(a).to.have.length.below(81)
    expect(a).not.to.equal(b)
  })

  it('saves the bytes each program printed and replays them, in order, with failures failing alike', async () => {
    const dir = temp('rec')
    const gbk = Buffer.from([0xd7, 0xb4, 0xcc, 0xac, 0x20, 0xc6, 0xf4, 0xd3, 0xc3]) // "状态 启用" in CP936
    const inner = fakeExec({
      'netsh advfirewall show allprofiles': {raw: gbk},
      'route print': 'first',
      slow: timeoutError('slow'),
    })
    const recorder = recordingExec(inner, dir)
    await recorder.exec('C:\\Windows\\System32\\netsh.exe', ['advfirewall', 'show', 'allprofiles'])
    await recorder.exec('C:\\Windows\\System32\\route.exe', ['print'])
    await recorder.exec('C:\\Windows\\System32\\route.exe', ['print'])
    await recorder.exec('C:\\Windows\\System32\\slow.exe', []).catch(() => {})
    await recorder.exec('C:\\Windows\\System32\\absent.exe', []).catch(() => {})
    await recorder.finish(about)

    expect(readdirSync(dir).sort()).to.deep.equal(['manifest.json', 'netsh-advfirewall-show-allprofiles.out', 'route-print-2.out', 'route-print.out'])
    expect(readFileSync(join(dir, 'netsh-advfirewall-show-allprofiles.out')).equals(gbk)).to.equal(true)
    const manifest = await readRecording(dir)
    expect(manifest.runs.map((r) => [r.key, r.exit_code, r.error?.kind ?? null])).to.deep.equal([
      ['netsh-advfirewall-show-allprofiles', 0, null],
      ['route-print', 0, null],
      ['route-print-2', 0, null],
      ['slow', null, 'timeout'],
      ['absent', null, 'missing_tool'],
    ])

    const replay = replayExec(dir, manifest)
    expect((await replay('netsh', ['advfirewall', 'show', 'allprofiles'])).raw.equals(gbk)).to.equal(true)
    expect((await replay('route', ['print'])).stdout).to.equal('first')
    expect((await replay('route', ['print'])).stdout).to.equal('first')
    const slow = await replay('slow', []).catch((e: unknown) => e)
    expect(slow).to.be.instanceOf(FactError).with.property('kind', 'timeout')
    const absent = await replay('absent', []).catch((e: unknown) => e)
    expect(absent).to.be.instanceOf(FactError).with.property('kind', 'missing_tool')
    const never = await replay('ipconfig', ['/all']).catch((e: unknown) => e)
    expect(never).to.be.instanceOf(FactError).with.property('kind', 'missing_tool')
  })

  it('records only into a new or empty folder, and never writes through a planted link', async () => {
    const full = temp('rec-full')
    writeFileSync(join(full, 'keep.txt'), 'x')
    const refused = await prepareRecordingDir(full).catch((e: unknown) => e)
    expect(refused).to.be.instanceOf(UserError).with.property('key', 'facts.record.notEmpty')

    const dir = temp('rec-link')
    const victim = join(temp('victim'), 'victim.txt')
    writeFileSync(victim, 'untouched')
    const recorder = recordingExec(fakeExec({netsh: 'output'}), dir)
    // A link planted where the output will go, after the folder was checked.
    symlinkSync(victim, join(dir, 'netsh-x.out'))
    await recorder.exec('netsh', ['x'])
    await recorder.finish(about).catch(() => {})
    expect(readFileSync(victim, 'utf8')).to.equal('untouched')
  })

  it('refuses a folder that is not a recording, or whose manifest is malformed, with the reason', async () => {
    const empty = temp('not-rec')
    expect(await readRecording(empty).catch((e: unknown) => e)).to.be.instanceOf(UserError).with.property('key', 'facts.replay.noManifest')
    const bad = temp('bad-rec')
    writeFileSync(join(bad, 'manifest.json'), JSON.stringify({...about, runs: [{command: ['x'], key: '../../etc/passwd'}], schema: 'nm-guard/recording@1'}))
    const error = await readRecording(bad).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(UserError).with.property('key', 'facts.replay.bad')
    expect(() => checkManifest({...about, runs: [], schema: 'other'})).to.throw(/schema/)
  })

  for (const scenario of ['dirty', 'clean'] as const) {
    it(`replays the ${scenario} Windows 11 recording into the snapshot's rows, on this OS`, async () => {
      const replayed = await gatherReplayed(recordingDir(scenario))
      const snapshot = JSON.parse(readFileSync(snapshotPath(scenario), 'utf8')) as typeof replayed
      expect(replayed.host).to.deep.equal({...snapshot.host, os_version: replayed.host.os_version})
      expect(replayed.collected_at).to.equal(snapshot.collected_at)
      for (const [name, table] of Object.entries(replayed.tables)) {
        if (name === 'managed_accounts' || name === 'plaintext_secrets') {
          // Read from files on the PC, never from tool output: a recording cannot hold them.
          expect(table).to.have.property('error').that.matches(/not in a recording/)
        } else expect(table, name).to.deep.equal(snapshot.tables[name])
      }
      expect(render(replayed)).to.be.a('string')
    })
  }

  it('replays a real Chinese Windows 11 capture (netsh wlan, code page 936) through the live path', async () => {
    const replayed = await gatherReplayed(recordingDir('real-wifi-zh-win11'))
    expect(replayed.tables.wifi).to.deep.equal({
      rows: [{bssid: '58:41:20:c4:d3:dc', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'TP-LINK_5G_D3DA'}],
    })
    const clean = JSON.parse(readFileSync(snapshotPath('clean'), 'utf8')) as typeof replayed
    expect(replayed.tables.firewall).to.deep.equal(clean.tables.firewall)
  })

  it('holds no secret and no scanned file content: only tool output', async function () {
    if (process.platform !== 'linux') this.skip()
    const home = temp('rec-home')
    mkdirSync(join(home, 'Desktop'))
    const secret = 'Gc-密码-9f8e7d6c5b4a'
    writeFileSync(join(home, 'Desktop', '新媒体账号密码.txt'), `微博 ${secret}\n`)
    const dir = join(temp('rec-out'), 'recording')
    await prepareRecordingDir(dir)
    const recorder = recordingExec((await import('../../../src/os/spawn.js')).exec, dir)
    const facts = await gatherFacts({
      context: {env: {HOME: home, XDG_CONFIG_HOME: join(home, '.config')}, exec: recorder.exec},
      tables: ['plaintext_secrets', 'network_interfaces', 'installed_software'],
    })
    await recorder.finish({...about, platform: 'linux'})
    // The scan found the file by its name, so its content was in reach.
    const found = facts.tables.plaintext_secrets
    expect(found && 'rows' in found ? found.rows.map((r) => r.path) : found).to.deep.equal([join(home, 'Desktop', '新媒体账号密码.txt')])
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file))
      expect(bytes.includes(Buffer.from(secret)), file).to.equal(false)
      expect(bytes.includes(Buffer.from('微博 ')), file).to.equal(false)
    }
    expect(existsSync(join(dir, 'manifest.json'))).to.equal(true)
  })
})
