import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {caFingerprint} from '../../../src/collector/protocol.js'
import {runCli} from '../../helpers/run-cli.js'

describe('nm-guard collector init', function () {
  this.timeout(60_000)

  it('creates the CA, a server certificate for every host, and prints the admin token once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cinit-')), 'collector')
    const out = await runCli(['collector', 'init', '--dir', dir, '--host', 'collector.example.gov.cn', '--host', '10.1.2.3', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    const {result} = JSON.parse(out.stdout) as {result: {admin_token: string; ca_fingerprint: string}}
    expect(result.ca_fingerprint).to.equal(caFingerprint(readFileSync(join(dir, 'ca.cert.pem'), 'utf8')))
    expect(result.admin_token).to.match(/^nmg_admin_[\w-]{43}$/)
    const settings = readFileSync(join(dir, 'collector.json'), 'utf8')
    // Stored only as a hash.
    expect(settings).not.to.include(result.admin_token)
    expect(statSync(join(dir, 'ca.key.pem')).mode & 0o777).to.equal(0o600)
    expect(statSync(join(dir, 'server.key.pem')).mode & 0o777).to.equal(0o600)
    const {X509Certificate} = await import('node:crypto')
    const server = new X509Certificate(readFileSync(join(dir, 'server.cert.pem'), 'utf8'))
    expect(server.subjectAltName).to.equal('DNS:collector.example.gov.cn, IP Address:10.1.2.3')
    expect(server.checkIssued(new X509Certificate(readFileSync(join(dir, 'ca.cert.pem'), 'utf8')))).to.equal(true)
  })

  it('refuses to overwrite an existing collector or a non-empty folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cinit-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])).code).to.equal(0)
    const before = readFileSync(join(dir, 'ca.key.pem'), 'utf8')
    const again = await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])
    expect(again.code).to.equal(1)
    expect(again.stderr).to.include('refusing to overwrite')
    expect(readFileSync(join(dir, 'ca.key.pem'), 'utf8')).to.equal(before)
    const other = mkdtempSync(join(tmpdir(), 'nmg-cinit-'))
    writeFileSync(join(other, 'notes.txt'), 'x')
    expect((await runCli(['collector', 'init', '--dir', other, '--host', 'localhost'])).stderr).to.include('is not empty')
  })

  it('refuses a host that is neither a name nor an IP address', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cinit-')), 'collector')
    const out = await runCli(['collector', 'init', '--dir', dir, '--host', 'bad host!'])
    expect(out.code).to.equal(1)
    expect(out.stderr.trim()).to.equal('nm-guard: not a host name or IP address: bad host!')
  })
})
