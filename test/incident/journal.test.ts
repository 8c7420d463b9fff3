import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {archiveJournal, historyDir, journalPath, lastArchived, readJournal, updateJournal, writeJournal} from '../../src/incident/journal.js'
import type {Journal} from '../../src/incident/types.js'

const journal = (id: string, startedAt: string): Journal => ({
  evidence_dir: '/var/lib/nm-guard/incident/evidence',
  hostname: 'pc-01',
  incident_id: id,
  isolated_at: null,
  isolation_ms: null,
  keep_collector: null,
  method: null,
  phase: 'journalled',
  platform: 'linux',
  reason: 'ransomware note on desktop',
  report_path: null,
  saved: {ip6tables_save: null, iptables_save: null, links: [{name: 'eth0', up: true}], nft_ruleset: 'table inet f {\n}\n', platform: 'linux', routes: []},
  schema: 'nm-guard/incident-journal@1',
  started_at: startedAt,
  timeline: [{at: startedAt, event: 'incident.timeline.started'}],
})

describe('incident journal', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nmg-journal-'))
  })
  afterEach(() => rmSync(root, {force: true, recursive: true}))

  it('is written owner-only in an owner-only folder, and read back as written', async () => {
    const written = journal('a1', '2026-11-27T08:00:00.000Z')
    expect(await readJournal(root)).to.equal(null)
    expect(await writeJournal(written, root)).to.equal(join(root, 'incident', 'journal.json'))
    expect(statSync(journalPath(root)).mode & 0o777).to.equal(0o600)
    expect(statSync(join(root, 'incident')).mode & 0o777).to.equal(0o700)
    expect(await readJournal(root)).to.deep.equal(written)
    // No temp file is left behind by the atomic write.
    expect(readdirSync(join(root, 'incident'))).to.deep.equal(['journal.json'])
  })

  it('is updated phase by phase with timeline entries appended', async () => {
    await writeJournal(journal('a1', '2026-11-27T08:00:00.000Z'), root)
    const next = await updateJournal({method: 'nftables', phase: 'isolated'}, {at: '2026-11-27T08:00:00.300Z', event: 'incident.timeline.isolated', params: {ms: 300}}, root)
    expect(next.phase).to.equal('isolated')
    expect(next.timeline.map((e) => e.event)).to.deep.equal(['incident.timeline.started', 'incident.timeline.isolated'])
    expect(await readJournal(root)).to.deep.equal(next)
    expect((await updateJournal({phase: 'verified'}, undefined, root)).timeline).to.have.length(2)
  })

  it('refuses to update a journal that does not exist', async () => {
    const error = await updateJournal({phase: 'done'}, undefined, root).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).key).to.equal('incident.noJournal')
  })

  it('reports a corrupt journal clearly and leaves it in place', async () => {
    mkdirSync(join(root, 'incident'), {recursive: true})
    writeFileSync(journalPath(root), '{"schema": "nm-guard/incident-journal@1", "incident_id": ')
    const error = await readJournal(root).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).key).to.equal('incident.journalCorrupt')
    expect((error as UserError).params.path).to.equal(journalPath(root))
    expect(readFileSync(journalPath(root), 'utf8')).to.include('incident_id')

    writeFileSync(journalPath(root), '{"schema": "something-else"}')
    const wrong = await readJournal(root).then(() => null, (e: unknown) => e)
    expect((wrong as UserError).params.error).to.match(/not an nm-guard\/incident-journal@1 document/)
  })

  it('is archived under history/<start stamp>-<id>.json, and the latest archive is found', async () => {
    expect(await lastArchived(root)).to.equal(null)
    const first = journal('first', '2026-11-20T09:15:00.000Z')
    const second = journal('second', '2026-11-27T08:00:00.000Z')
    await writeJournal(second, root)
    const path = await archiveJournal({...second, phase: 'done'}, root)
    expect(path).to.equal(join(historyDir(root), '20261127T080000000Z-second.json'))
    expect(await readJournal(root)).to.equal(null)
    await writeJournal(first, root)
    await archiveJournal(first, root)
    const last = await lastArchived(root)
    expect(last?.path).to.equal(path)
    expect(last?.journal.phase).to.equal('done')
    expect(statSync(path).mode & 0o777).to.equal(0o600)
  })
})
