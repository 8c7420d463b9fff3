// The boot step (#11 2.5) through the real CLI, in network namespaces the test makes: the journal
// of a PC isolated before a restart, then a FRESH namespace (the restarted PC: no nm_guard table,
// nothing of the cut left) in which `nm-guard incident reapply` must put the same cut back, once.
import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {hostname as osHostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {linuxIsolator} from '../../../src/incident/isolation/isolator.linux.js'
import {readJournal, writeJournal} from '../../../src/incident/journal.js'
import type {CollectorEndpoint} from '../../../src/incident/types.js'
import {createLab, type Lab, requireLab} from '../../helpers/netns.js'
import {type CliResult, DEV_BIN, runCli} from '../../helpers/run-cli.js'
import {normalisedRuleset, parseEnvelope, USER_FIREWALL} from '../../helpers/incident-e2e.js'
import {sampleJournal} from '../../helpers/sample-journal.js'

const HOST = osHostname()
const PORT = 8080
const COLLECTOR_PORT = 8443

const nft = (lab: Lab, script: string): void => {
  const [file, ...args] = lab.inNs(['nft', '-f', '-'])
  execFileSync(file as string, args, {input: script})
}

describe('incident reapply: the boot step in a fresh network namespace (real nftables)', function () {
  this.timeout(180_000)
  const labs: Lab[] = []
  let state: string

  const cli = (lab: Lab, args: string[]): Promise<CliResult> => runCli(args, {command: lab.inNs([process.execPath, DEV_BIN]), env: {NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: state}})

  beforeEach(function () {
    requireLab(this)
    state = mkdtempSync(join(tmpdir(), 'nmg-reapply-'))
  })

  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.destroy()
  })

  it('puts the journalled cut back (kept collector included), once, and reconnect still restores the state from before the first cut', async () => {
    // Before the restart: the PC with its own firewall, journalled as disconnect journals it.
    const before = await createLab()
    labs.push(before)
    nft(before, USER_FIREWALL)
    const original = before.nftRuleset()
    const saved = await linuxIsolator({exec: before.exec, journalDir: join(state, 'incident')}).snapshot()
    expect(saved.nft_ruleset).to.contain('desktop_fw')

    // The restart: a fresh namespace, whose firewall loader did not even load the user's table.
    const pc = await createLab()
    labs.push(pc)
    await pc.serveTcp(PORT)
    await pc.serveTcp(COLLECTOR_PORT)
    // Resolved before the first cut and kept in the journal: the boot step never looks a name up.
    const keep: CollectorEndpoint = {addresses: [pc.peerAddr], host: 'collector.invalid', port: COLLECTOR_PORT, url: `https://collector.invalid:${COLLECTOR_PORT}`}
    const timeline = [{at: '2026-11-27T08:00:01.000Z', event: 'incident.timeline.isolated', params: {method: 'nftables', ms: 412}}]
    await writeJournal(sampleJournal(state, {hostname: HOST, keep_collector: keep, saved, timeline}), state)
    const journalled = await readJournal(state)
    expect(pc.nftRuleset()).not.to.contain('nm_guard')
    expect(await pc.canConnect(PORT)).to.equal(true)

    const first = await cli(pc, ['incident', 'reapply', '--json'])
    expect(first.code, first.stdout + first.stderr).to.equal(0)
    expect(parseEnvelope<{action: string; method: string}>(first).result).to.include({action: 'reapplied', method: 'nftables'})
    expect(pc.nftRuleset()).to.contain('table inet nm_guard')
    expect(await pc.canConnect(PORT, 800)).to.equal(false)
    // The journal's kept collector, as resolved then, is reachable; nothing else is.
    expect(await pc.canConnect(COLLECTOR_PORT)).to.equal(true)
    const after = await readJournal(state)
    // Never journalled again: reconnect must restore the state from before the FIRST cut.
    expect(after?.saved).to.deep.equal(journalled?.saved)
    expect(after?.timeline.map((e) => e.event)).to.deep.equal(['incident.timeline.isolated', 'incident.timeline.reapplied'])
    expect(after?.timeline.at(-1)?.params).to.deep.equal({method: 'nftables'})

    // A second run (another boot with the cut in place) changes nothing and writes nothing.
    const cut = normalisedRuleset(pc.nftRuleset())
    const second = await cli(pc, ['incident', 'reapply', '--json'])
    expect(second.code, second.stdout).to.equal(0)
    expect(parseEnvelope<{action: string}>(second).result.action).to.equal('in-effect')
    expect(await readJournal(state)).to.deep.equal(after)
    expect(normalisedRuleset(pc.nftRuleset())).to.equal(cut)

    const status = parseEnvelope<{isolated: boolean; boot_unit: {unit: string}}>(await cli(pc, ['incident', 'status', '--json'])).result
    expect(status.isolated).to.equal(true)
    expect(status.boot_unit.unit).to.equal('nm-guard-isolation.service')

    const back = await cli(pc, ['reconnect', '--confirm', HOST, '--json'])
    expect(back.code, back.stdout + back.stderr).to.equal(0)
    expect(parseEnvelope<{ruleset_equal: boolean}>(back).result.ruleset_equal).to.equal(true)
    expect(normalisedRuleset(pc.nftRuleset())).to.equal(normalisedRuleset(original))
    expect(await pc.canConnect(PORT)).to.equal(true)

    // Reconnected: the next boot's step has nothing to do.
    const closed = await cli(pc, ['incident', 'reapply', '--json'])
    expect(closed.code, closed.stdout).to.equal(0)
    expect(parseEnvelope<{action: string}>(closed).result.action).to.equal('none')
    expect(normalisedRuleset(pc.nftRuleset())).to.equal(normalisedRuleset(original))
    expect(await pc.canConnect(PORT)).to.equal(true)
  })

  it('cuts a PC whose disconnect was interrupted before the cut (journal written, nothing applied)', async () => {
    const pc = await createLab()
    labs.push(pc)
    await pc.serveTcp(PORT)
    const saved = await linuxIsolator({exec: pc.exec, journalDir: join(state, 'incident')}).snapshot()
    await writeJournal(sampleJournal(state, {hostname: HOST, isolated_at: null, isolation_ms: null, method: null, phase: 'journalled', saved}), state)
    const r = await cli(pc, ['incident', 'reapply', '--lang', 'en'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.contain('has been applied again (nftables)')
    expect(await pc.canConnect(PORT, 800)).to.equal(false)
    const journal = await readJournal(state)
    expect(journal).to.include({method: 'nftables', phase: 'isolated'})
    expect(journal?.isolated_at).to.be.a('string')
  })
})
