import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {archiveJournal, writeJournal} from '../../../src/incident/journal.js'
import {runCli} from '../../helpers/run-cli.js'
import {sampleJournal} from '../../helpers/sample-journal.js'

describe('nm-guard incident report / status', () => {
  it('refuses when no incident was ever recorded, and status says not isolated', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-report-'))
    const r = await runCli(['incident', 'report', '--json'], {env: {NMG_STATE_DIR: state}})
    expect(r.code).to.equal(1)
    expect((JSON.parse(r.stdout) as {error: {key: string}}).error.key).to.equal('incident.noIncident')
    const status = await runCli(['incident', 'status', '--lang', 'en'], {env: {NMG_STATE_DIR: state}})
    expect(status.code).to.equal(0)
    expect(status.stdout).to.contain('Not isolated')
  })

  it('re-renders the last incident in Chinese by default, with the deadline given', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-report-'))
    const journal = sampleJournal(state, {evidence_dir: join(state, 'none'), started_at: '2026-11-27T08:00:00.000Z'})
    await writeJournal(journal, state)
    await archiveJournal(journal, state)
    const r = await runCli(['incident', 'report', '--deadline-hours', '4', '--json'], {env: {NMG_STATE_DIR: state}})
    expect(r.code, r.stderr).to.equal(0)
    const {result} = JSON.parse(r.stdout) as {result: {html: string; markdown: string; incident_id: string}}
    expect(result.incident_id).to.equal(journal.incident_id)
    expect(readFileSync(result.markdown, 'utf8')).to.contain('gc-xmt-01').and.to.contain('4')
    expect(readFileSync(result.html, 'utf8')).to.contain('<html lang="zh-CN"')
    const bad = await runCli(['incident', 'report', '--deadline-hours', '0'], {env: {NMG_STATE_DIR: state}})
    expect(bad.code).to.equal(2)
  })
})
