import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {exec as realExec} from '../../../src/os/spawn.js'
import {collectEvidence, evidenceItems} from '../../../src/incident/evidence/collect.js'
import {commandItem, type EvidenceItem} from '../../../src/incident/evidence/item.js'
import {verifyEvidence} from '../../../src/incident/evidence/manifest.js'
import {fakeExec} from '../../helpers/fake-exec.js'
import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {itemNamed, localSigner, readEvidence, tempDir} from './evidence-helpers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('collectEvidence', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir('ev-collect')
  })
  afterEach(() => tmp.remove())

  const run = async (items: readonly EvidenceItem[], extra: Partial<Parameters<typeof collectEvidence>[0]> = {}) =>
    collectEvidence({
      dir: join(tmp.path, 'evidence'),
      exec: fakeExec({}),
      hostname: 'pc-01',
      incidentId: 'inc-7',
      items,
      now: () => new Date('2026-11-27T08:00:05Z'),
      platform: 'linux',
      signer: await localSigner(tmp.path),
      ...extra,
    })

  it('records an item that times out and keeps going; what it writes late is refused', async () => {
    const hang: EvidenceItem = {name: 'hangs', run: () => new Promise(() => {})}
    const late: EvidenceItem = {
      name: 'late',
      async run(ctx) {
        await ctx.write('late/early.txt', 'before the timeout')
        await sleep(150)
        await ctx.write('late/after.txt', 'after the timeout')
      },
    }
    const fast: EvidenceItem = {name: 'fast', run: (ctx) => ctx.write('fast.txt', 'x')}
    const started = Date.now()
    const {manifest, manifestPath} = await run([hang, late, fast], {itemTimeoutMs: 60})
    expect(Date.now() - started).to.be.lessThan(2000)
    expect(itemNamed(manifest, 'hangs')).to.deep.include({error: 'timed out after 60 ms', files: [], status: 'failed'})
    expect(itemNamed(manifest, 'late')).to.deep.include({error: 'timed out after 60 ms', files: ['late/early.txt'], status: 'failed'})
    expect(itemNamed(manifest, 'fast')).to.deep.include({files: ['fast.txt'], status: 'ok'})
    expect(manifest).to.include({created_at: '2026-11-27T08:00:05.000Z', hostname: 'pc-01', incident_id: 'inc-7', schema: 'nm-guard/evidence@1'})
    await sleep(200) // the late item has tried its second write by now
    expect(manifest.files.map((f) => f.path)).to.deep.equal(['fast.txt', 'late/early.txt'])
    const verification = await verifyEvidence(join(manifestPath, '..'))
    expect(verification.ok, JSON.stringify(verification)).to.equal(true)
  })

  it("uses an item's own budget unless the caller sets one for all", async () => {
    const hang: EvidenceItem = {name: 'hangs', run: () => new Promise(() => {}), timeoutMs: 50}
    expect(itemNamed((await run([hang])).manifest, 'hangs').error).to.equal('timed out after 50 ms')
    tmp.remove()
    tmp = tempDir('ev-collect')
    expect(itemNamed((await run([hang], {itemTimeoutMs: 80})).manifest, 'hangs').error).to.equal('timed out after 80 ms')
  })

  it('records a missing tool and a command killed at its timeout (real exec)', async () => {
    const items = [commandItem('missing', 'nmg-no-such-tool', [], 'x.txt'), commandItem('slow', 'sleep', ['5'], 'slow.txt'), commandItem('echo', 'echo', ['hi'], 'echo.txt')]
    const {manifest} = await run(items, {exec: realExec, itemTimeoutMs: 300})
    expect(itemNamed(manifest, 'missing')).to.deep.include({error: 'nmg-no-such-tool not found', status: 'failed'})
    expect(itemNamed(manifest, 'slow').status).to.equal('failed')
    expect(itemNamed(manifest, 'slow').error).to.match(/timed out after 300 ms/)
    expect(itemNamed(manifest, 'echo').status).to.equal('ok')
    expect(readEvidence(join(tmp.path, 'evidence'), 'echo.txt').toString()).to.equal('hi\n')
  })

  it('records an item that throws, lists files sorted, and refuses paths outside the folder', async () => {
    const boom: EvidenceItem = {name: 'boom', run: () => Promise.reject(new TypeError('bad'))}
    const escape: EvidenceItem = {name: 'escape', run: (ctx) => ctx.write('../outside.txt', 'x')}
    const sig: EvidenceItem = {name: 'sig', run: (ctx) => ctx.write('manifest.json', '{}')}
    const {manifest} = await run([boom, escape, sig])
    expect(itemNamed(manifest, 'boom').error).to.equal('unexpected: bad')
    expect(itemNamed(manifest, 'escape').error).to.equal('bad evidence path ../outside.txt')
    expect(itemNamed(manifest, 'sig').error).to.equal('bad evidence path manifest.json')
    expect(manifest.files).to.deep.equal([])
  })

  it('never collects twice into the same folder', async () => {
    await run([])
    const again = await run([]).catch((error: unknown) => error)
    expect(again).to.include({key: 'incident.evidenceDirUsed'})
  })

  it('has a definitions list per platform with unique names', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const names = evidenceItems(platform).map((i) => i.name)
      expect(new Set(names).size, platform).to.equal(names.length)
      for (const needed of ['network.connections', 'processes.executables', 'network.routes', 'network.neighbours', 'software.installed', 'audit.last_report']) {
        expect(names, `${platform} ${needed}`).to.include(needed)
      }
    }
  })

  it('collects this Linux machine for real, with a manifest that verifies', async function () {
    requirePart(this, process.platform === 'linux' && hasCommand('ss') && hasCommand('ip'), 'a Linux machine with ss and ip (iproute2)')
    const state = join(tmp.path, 'state')
    mkdirSync(state)
    writeFileSync(join(state, 'last-report.json'), '{"score": 80}\n')
    const dir = join(tmp.path, 'evidence')
    const started = Date.now()
    const {manifest, manifestSha256} = await collectEvidence({
      dir,
      exec: realExec,
      hostname: 'this-pc',
      incidentId: 'real',
      itemTimeoutMs: 8000,
      platform: 'linux',
      signer: await localSigner(tmp.path),
      stateDir: state,
    })
    const ms = Date.now() - started
    for (const name of ['network.connections', 'network.listening', 'processes.executables', 'network.routes', 'network.neighbours', 'dns.resolv_conf', 'software.installed', 'audit.last_report']) {
      expect(itemNamed(manifest, name).status, `${name}: ${itemNamed(manifest, name).error}`).to.equal('ok')
    }
    // The test's own process: the hash recorded for its pid is the hash of the node binary.
    const scan = JSON.parse(readEvidence(dir, 'processes/processes.json').toString()) as {processes: {pid: number; exe: string; sha256: string}[]}
    const self = scan.processes.find((p) => p.pid === process.pid)
    expect(self?.exe).to.equal(realpathSync(process.execPath))
    expect(self?.sha256).to.equal(createHash('sha256').update(readFileSync(process.execPath)).digest('hex'))
    expect(manifestSha256).to.equal(createHash('sha256').update(readFileSync(join(dir, 'manifest.json'))).digest('hex'))
    const verification = await verifyEvidence(dir)
    expect(verification.ok, JSON.stringify({...verification, signer: null})).to.equal(true)
    // eslint-disable-next-line no-console
    console.log(`      real Linux collection: ${ms} ms, ${manifest.files.length} files, failed: ${manifest.items.filter((i) => i.status === 'failed').map((i) => `${i.name} (${i.error})`).join('; ') || 'none'}`)
  })
})
