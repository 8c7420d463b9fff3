import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {archiveJournal, writeJournal} from '../../src/incident/journal.js'
import {renderStatus} from '../../src/incident/render-status.js'
import {incidentStatus} from '../../src/incident/status.js'
import type {Journal} from '../../src/incident/types.js'
import {fakeExec} from '../helpers/fake-exec.js'
import {sampleJournal} from '../helpers/sample-journal.js'

const journal = (root: string): Journal => sampleJournal(root, {report_path: join(root, 'r.html')})

// What the Linux isolator asks: nm-guard's table, our iptables chains.
const ours = (present: boolean) => fakeExec({'ip6tables -w -S NM_GUARD': {code: 1}, 'iptables -w -S NM_GUARD': {code: 1}, 'nft list table inet nm_guard': present ? 'table inet nm_guard {\n}\n' : {code: 1, stderr: 'No such file or directory'}})

describe('incidentStatus', () => {
  it('reports an open, isolated incident with where its evidence is', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-status-'))
    await writeJournal(journal(root), root)
    const status = await incidentStatus({exec: ours(true), platform: 'linux', root})
    expect(status).to.include({evidence_dir: join(root, 'evidence'), isolated: true, method: 'nftables', open: true, since: '2026-11-27T08:00:01.000Z'})
    // In the PC's time zone, named; --json keeps the journal's ISO UTC.
    expect(renderStatus(status, 'en', {timeZone: 'Asia/Shanghai'})).to.match(/^ISOLATED since 2026-11-27 16:00 \(Asia\/Shanghai, UTC\+08:00\) \(nftables\)/)
  })

  it('tells an open incident whose cut is not in effect (a crash right after the journal)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-status-'))
    await writeJournal({...journal(root), isolated_at: null, method: null, phase: 'journalled'}, root)
    const status = await incidentStatus({exec: ours(false), platform: 'linux', root})
    expect(status).to.include({isolated: false, open: true, phase: 'journalled'})
    expect(renderStatus(status, 'en')).to.contain('run `nm-guard reconnect`')
  })

  it('names the last incident once reconnected, and flags stray isolation rules', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-status-'))
    const closed = {...journal(root), timeline: [{at: '2026-11-27T09:00:00.000Z', event: 'incident.timeline.reconnected'}]}
    await writeJournal(closed, root)
    await archiveJournal(closed, root)
    const status = await incidentStatus({exec: ours(false), platform: 'linux', root})
    expect(status.open).to.equal(false)
    expect(status.last).to.deep.include({closed_at: '2026-11-27T09:00:00.000Z', incident_id: closed.incident_id})
    expect(renderStatus(status, 'zh-CN')).to.contain('未断网')
    expect(renderStatus(status, 'en', {timeZone: 'Asia/Shanghai'})).to.contain('reconnected 2026-11-27 17:00 (Asia/Shanghai, UTC+08:00)')
    const stray = await incidentStatus({exec: ours(true), platform: 'linux', root})
    expect(renderStatus(stray, 'en')).to.contain("nm-guard's isolation rules are present")
  })
})
