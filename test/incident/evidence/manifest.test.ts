import {createHash} from 'node:crypto'
import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {createCa, createCsr, newRsaKeyPem, signAgentCsr} from '../../../src/collector/pki.js'
import {collectEvidence} from '../../../src/incident/evidence/collect.js'
import type {EvidenceItem} from '../../../src/incident/evidence/item.js'
import {hashFolder, NotRegularFileError, verifyEvidence, writeSignedManifest} from '../../../src/incident/evidence/manifest.js'
import {renderVerification} from '../../../src/incident/render-status.js'
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
    expect(await verifyEvidence(dir)).to.deep.include({added: ['network/extra.txt'], changed: [], not_regular: ['link'], ok: false, removed: ['logs/journal.txt']})
  })

  it('never hashes a link: the manifest refuses one, and verify reports a listed file turned link as invalid (#11 2.1)', async () => {
    // A root-only file, and evidence whose listed file is replaced by a link to it.
    const secretDir = join(tmp.path, 'secret')
    mkdirSync(secretDir, {mode: 0o700})
    writeFileSync(join(secretDir, 'root-only'), 'root only\n', {mode: 0o600})
    rmSync(join(dir, 'users/who.txt'))
    symlinkSync(join(secretDir, 'root-only'), join(dir, 'users/who.txt'))
    const result = await verifyEvidence(dir)
    expect(result).to.deep.include({added: [], changed: [], not_regular: ['users/who.txt'], ok: false, removed: [], signature: 'valid'})
    expect(renderVerification(result, 'en')).to.contain('not a regular file (a link?): users/who.txt')

    // Signing a folder with a link in it is refused: the link's text is never hashed as if it were evidence.
    const fresh = join(tmp.path, 'fresh')
    mkdirSync(fresh, {mode: 0o700})
    writeFileSync(join(fresh, 'ok.txt'), 'ok\n')
    symlinkSync(join(secretDir, 'root-only'), join(fresh, 'planted.txt'))
    const fields = {created_at: '2026-11-27T08:00:00.000Z', hostname: 'h', incident_id: 'i', items: []}
    const error = await writeSignedManifest(fresh, fields, await localSigner(tmp.path)).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(NotRegularFileError).with.property('path', 'planted.txt')
    expect(existsSync(join(fresh, 'manifest.json'))).to.equal(false)
    // A link planted as manifest.json is refused too, never written through.
    rmSync(join(fresh, 'planted.txt'))
    symlinkSync(join(secretDir, 'root-only'), join(fresh, 'manifest.json'))
    const again = await writeSignedManifest(fresh, fields, await localSigner(tmp.path)).catch((e: unknown) => e)
    expect(again).to.be.instanceOf(NotRegularFileError).with.property('path', 'manifest.json')
    expect(readFileSync(join(secretDir, 'root-only'), 'utf8')).to.equal('root only\n')
  })

  it('collecting refuses to write through a link planted under an evidence file name (#11 2.1)', async () => {
    const secretDir = join(tmp.path, 'secret')
    mkdirSync(secretDir, {mode: 0o700})
    writeFileSync(join(secretDir, 'root-only'), 'root only\n', {mode: 0o600})
    const target = join(tmp.path, 'planted')
    mkdirSync(join(target, 'network'), {mode: 0o700, recursive: true})
    symlinkSync(join(secretDir, 'root-only'), join(target, 'network/connections.txt'))
    symlinkSync(secretDir, join(target, 'users'))
    const error = await collectEvidence({dir: target, exec: fakeExec({}), hostname: 'h', incidentId: 'i', items: ITEMS, platform: 'linux', signer: await localSigner(tmp.path)}).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(NotRegularFileError)
    expect(readFileSync(join(secretDir, 'root-only'), 'utf8')).to.equal('root only\n')
    expect(readdirSync(secretDir)).to.deep.equal(['root-only'])
    expect(existsSync(join(target, 'manifest.json'))).to.equal(false)
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
    // The manifest is only ever created new: the attacker removes the old one first.
    rmSync(join(dir, 'manifest.json'))
    rmSync(join(dir, 'manifest.sig'))
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
    const resign = (): void => ['manifest.json', 'manifest.sig'].forEach((name) => rmSync(join(dir, name)))
    resign()
    await writeSignedManifest(dir, fields, agent)
    expect(await verifyEvidence(dir, {trusted: agent.fingerprint})).to.deep.include({ok: true, signature: 'valid', trusted: true})
    const otherCert = signAgentCsr(ca, createCsr(newRsaKeyPem(), 'pc'), 'agent-2').certPem
    resign()
    await writeSignedManifest(dir, fields, {...agent, certificate_pem: otherCert})
    expect(await verifyEvidence(dir)).to.deep.include({ok: false, signature: 'invalid'})
  })
})
