import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {archiveJournal, writeJournal} from '../../src/incident/journal.js'
import type {Journal} from '../../src/incident/types.js'
import {writeIncidentDraft} from '../../src/incident/write-draft.js'
import {refusal} from '../helpers/refusal.js'
import {sampleJournal} from '../helpers/sample-journal.js'

const journal = (root: string): Journal =>
  sampleJournal(root, {reason: '公众号后台出现异常登录', timeline: [{at: '2026-11-27T08:00:01.000Z', event: 'incident.timeline.isolated', params: {method: 'nftables', ms: 412}}]})

describe('writeIncidentDraft', () => {
  let root: string
  let config: string
  let previousConfig: string | undefined

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nmg-draft-state-'))
    config = mkdtempSync(join(tmpdir(), 'nmg-draft-config-'))
    previousConfig = process.env.NMG_CONFIG_DIR
    process.env.NMG_CONFIG_DIR = config
  })

  afterEach(() => {
    process.env.NMG_CONFIG_DIR = previousConfig
  })

  it('writes HTML and Markdown beside the evidence with the accounts, custodians and the manifest hash', async () => {
    const open = journal(root)
    mkdirSync(open.evidence_dir, {recursive: true})
    const manifest = `${JSON.stringify({files: [{bytes: 3, path: 'network/routes.txt', sha256: 'a'.repeat(64)}], hostname: 'gc-xmt-01', incident_id: open.incident_id, items: [], schema: 'nm-guard/evidence@1', created_at: '2026-11-27T08:00:03.000Z', signer: {fingerprint: 'b'.repeat(64), kind: 'local', public_key_pem: ''}})}\n`
    writeFileSync(join(open.evidence_dir, 'manifest.json'), manifest)
    const record = {account: '藁城发布', contact: null, created_at: '2026-01-01T00:00:00.000Z', custodian: '张三', fingerprint: 'f'.repeat(64), forced: false, history: [], platform: 'wechat', rotated_at: '2026-01-01T00:00:00.000Z', strength_score: 4, weak_reasons: []}
    writeFileSync(join(config, 'accounts.json'), JSON.stringify({accounts: [record], key_id: 'k'}))
    await writeJournal(open, root)

    const written = await writeIncidentDraft({lang: 'zh-CN', now: new Date('2026-11-27T08:20:00Z'), root})
    expect(written.html.startsWith(join(root, 'incident'))).to.equal(true)
    expect(written.html.startsWith(open.evidence_dir)).to.equal(false)
    const html = readFileSync(written.html, 'utf8')
    const markdown = readFileSync(written.markdown, 'utf8')
    for (const text of [html, markdown]) {
      expect(text).to.contain('藁城发布').and.to.contain('张三').and.to.contain('gc-xmt-01')
      expect(text).to.contain(createHash('sha256').update(manifest).digest('hex'))
      expect(text).not.to.contain('f'.repeat(64))
    }
  })

  it('re-renders the last archived incident once reconnected, and says so when there is none', async () => {
    expect((await refusal(writeIncidentDraft({lang: 'en', now: new Date(), root}))).key).to.equal('incident.noIncident')
    await writeJournal(journal(root), root)
    await archiveJournal(journal(root), root)
    const written = await writeIncidentDraft({lang: 'en', now: new Date(), root})
    expect(readFileSync(written.markdown, 'utf8')).to.contain('gc-xmt-01')
  })
})
