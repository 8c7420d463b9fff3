import {chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {initCollectorDir, loadCollectorDir} from '../../src/collector/collector-dir.js'
import {openStore} from '../../src/collector/store/open-store.js'

const modeOf = (path: string) => statSync(path).mode & 0o777

describe('collector folder permissions', function () {
  this.timeout(30_000)

  it('init makes an existing 0755 folder 0700 and every file 0600, the SQLite database and its journals too', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cdir-')), 'c')
    mkdirSync(dir, {mode: 0o755})
    chmodSync(dir, 0o755)
    initCollectorDir(dir, ['127.0.0.1'])
    const store = await openStore(`sqlite:${join(dir, 'collector.db')}`)
    await store.insertToken({expires_at: new Date(Date.now() + 60_000).toISOString(), hash: 'ab'.repeat(32), uses_left: 1})
    expect(modeOf(dir)).to.equal(0o700)
    const files = readdirSync(dir)
    expect(files).to.include.members(['ca.key.pem', 'ca.cert.pem', 'server.key.pem', 'server.cert.pem', 'collector.json', 'collector.db', 'collector.db-wal'])
    for (const file of files) expect(modeOf(join(dir, file)), file).to.equal(0o600)
    await store.close()
  })

  it('loading tightens what an older version or an administrator left open', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cdir-')), 'c')
    initCollectorDir(dir, ['127.0.0.1'])
    chmodSync(dir, 0o755)
    writeFileSync(join(dir, 'collector.db'), '', {mode: 0o644})
    chmodSync(join(dir, 'collector.db'), 0o644)
    chmodSync(join(dir, 'ca.cert.pem'), 0o666)
    loadCollectorDir(dir)
    expect(modeOf(dir)).to.equal(0o700)
    for (const file of readdirSync(dir)) expect(modeOf(join(dir, file)), file).to.equal(0o600)
  })
})
