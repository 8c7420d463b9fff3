import {createHash} from 'node:crypto'
import {appendFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {createCa, createCsr, newRsaKeyPem, signAgentCsr} from '../../../src/collector/pki.js'
import {collectEvidence} from '../../../src/incident/evidence/collect.js'
import type {EvidenceItem} from '../../../src/incident/evidence/item.js'
import {hashFolder, verifyEvidence, writeSignedManifest} from '../../../src/incident/evidence/manifest.js'
import {loadSigner} from '../../../src/incident/evidence/signer.js'
import {fakeExec} from '../../helpers/fake-exec.js'
import {localSigner, tempDir} from './evidence-helpers.js'
import {UserError} from '../../../src/cli/user-error.js'

const ITEMS: EvidenceItem[] = [
  {name: 'a', run: (ctx) => ctx.write('network/connections.txt', 'tcp ESTAB 10.0.0.2:51644 203.0.113.77:443\n')},
  {name: 'b', run: (ctx) => ctx.write('users/who.txt', Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a]))},
  {name: 'c', run: (ctx) => ctx.write('logs/journal.txt', 'line\n')},
]

describe('evidence manifest and verification', () => {
  let tmp: ReturnType<typeof tempDir>
  let dir: string
  beforeEach(async () => {
    tmp = tempDir('ev-manifest')
    dir = join(tmp.path, 'evidence')
    await collectEvidence({dir, exec: fakeExec({}), hostname: 'h', incidentId: 'i', items: ITEMS, platform: 'linux', signer: await localSigner(tmp.path)})
  })
  afterEach(() => tmp.remove())

  it('lists every file with its SHA-256 and size, sorted, without the manifest and signature', async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {files: {path: string; sha256: string; bytes: number}[]}
    expect(manifest.files.map((f) => f.path)).to.deep.equal(['logs/journal.txt', 'network/connections.txt', 'users/who.txt'])
    expect(manifest.files[2]).to.deep.equal({bytes: 5, path: 'users/who.txt', sha256: createHash('sha256').update(Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a])).digest('hex')})
    expect(readFileSync(join(dir, 'manifest.sig'), 'utf8')).to.match(/^[A-Za-z0-9+/]+=*\n$/)
    const result = await verifyEvidence(dir)
    expect(result).to.deep.include({added: [], changed: [], ok: true, removed: [], signature: 'valid'})
    expect(result.signer?.kind).to.equal('local')
    expect(result).to.not.have.property('trusted')
  })

  it('catches one changed byte', async () => {
    const file = join(dir, 'users/who.txt')
    const bytes = readFileSync(file)
    bytes[0] = (bytes[0] as number) ^ 1
    writeFileSync(file, bytes)
    expect(await verifyEvidence(dir)).to.deep.include({changed: ['users/who.txt'], ok: false, signature: 'valid'})
  })

  it('catches an added file, a removed file and a planted symlink', async () => {
    writeFileSync(join(dir, 'network/extra.txt'), 'x')
    rmSync(join(dir, 'logs/journal.txt'))
    symlinkSync('/etc/passwd', join(dir, 'link'))
    expect(await verifyEvidence(dir)).to.deep.include({added: ['link', 'network/extra.txt'], changed: [], ok: false, removed: ['logs/journal.txt']})
  })

  it('catches an edited manifest.json, a deleted signature and a missing manifest', async () => {
    // Make the manifest agree with a tampered file: the signature then no longer matches.
    appendFileSync(join(dir, 'logs/journal.txt'), 'forged\n')
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {files: {path: string; sha256: string; bytes: number}[]}
    manifest.files = await hashFolder(dir)
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    expect(await verifyEvidence(dir)).to.deep.include({changed: [], ok: false, signature: 'invalid'})

    rmSync(join(dir, 'manifest.sig'))
    expect(await verifyEvidence(dir)).to.deep.include({ok: false, signature: 'missing'})

    writeFileSync(join(dir, 'manifest.json'), 'not json')
    writeFileSync(join(dir, 'manifest.sig'), 'AAAA\n')
    expect(await verifyEvidence(dir)).to.deep.include({ok: false, signature: 'invalid', signer: null})

    rmSync(join(dir, 'manifest.json'))
    const error = await verifyEvidence(dir).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).key).to.equal('incident.notEvidence')
    expect((error as UserError).params).to.deep.equal({dir, file: 'manifest.json'})
  })

  it('tells a re-signing by another key apart only with a trusted fingerprint', async () => {
    const original = await verifyEvidence(dir)
    const trusted = original.signer?.fingerprint as string
    expect(await verifyEvidence(dir, {trusted: trusted.toUpperCase().match(/../g)?.join(':') as string})).to.deep.include({ok: true, trusted: true})

    // An attacker changes a file and signs a fresh manifest with a key of their own.
    writeFileSync(join(dir, 'users/who.txt'), 'nobody\n')
    const otherDir = join(tmp.path, 'other')
    mkdirSync(otherDir)
    const other = await localSigner(otherDir)
    const old = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {created_at: string; hostname: string; incident_id: string; items: []}
    await writeSignedManifest(dir, {created_at: old.created_at, hostname: old.hostname, incident_id: old.incident_id, items: old.items}, other)

    expect(await verifyEvidence(dir)).to.deep.include({ok: true, signature: 'valid'})
    const checked = await verifyEvidence(dir, {trusted})
    expect(checked).to.deep.include({ok: false, signature: 'valid', trusted: false})
    expect(checked.signer?.fingerprint).to.equal(other.fingerprint)
  })

  it('verifies an agent-signed folder, and refuses a certificate that names another key', async () => {
    const agentDir = join(tmp.path, 'agent')
    mkdirSync(agentDir)
    const ca = createCa('test CA')
    const keyPem = newRsaKeyPem()
    writeFileSync(join(agentDir, 'agent.key.pem'), keyPem)
    writeFileSync(join(agentDir, 'agent.cert.pem'), signAgentCsr(ca, createCsr(keyPem, 'pc'), 'agent-1').certPem)
    const agent = await loadSigner({agentPaths: {cert: join(agentDir, 'agent.cert.pem'), key: join(agentDir, 'agent.key.pem')}, localKeyPath: join(agentDir, 'local.pem')})
    expect(agent.kind).to.equal('agent')
    const fields = {created_at: '2026-11-27T08:00:00.000Z', hostname: 'h', incident_id: 'i', items: []}
    await writeSignedManifest(dir, fields, agent)
    expect(await verifyEvidence(dir, {trusted: agent.fingerprint})).to.deep.include({ok: true, signature: 'valid', trusted: true})
    const otherCert = signAgentCsr(ca, createCsr(newRsaKeyPem(), 'pc'), 'agent-2').certPem
    await writeSignedManifest(dir, fields, {...agent, certificate_pem: otherCert})
    expect(await verifyEvidence(dir)).to.deep.include({ok: false, signature: 'invalid'})
  })
})
