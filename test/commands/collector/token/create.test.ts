import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {sha256Hex} from '../../../../src/collector/collector-dir.js'
import {openStore} from '../../../../src/collector/store/open-store.js'
import {runCli} from '../../../helpers/run-cli.js'

describe('nm-guard collector token create', function () {
  this.timeout(60_000)
  let dir: string

  before(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'nmg-ctoken-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])).code).to.equal(0)
  })

  it('says when the token expires in the PC\'s time zone, named', async () => {
    const out = await runCli(['collector', 'token', 'create', '--dir', dir, '--ttl', '1h'], {env: {TZ: 'Asia/Shanghai'}})
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.match(/\d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Shanghai, UTC\+08:00\)/)
  })

  it('prints a token once and stores only its hash, usable --uses times', async () => {
    const out = await runCli(['collector', 'token', 'create', '--dir', dir, '--ttl', '2h', '--uses', '2', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    const {result} = JSON.parse(out.stdout) as {result: {token: string; expires_at: string}}
    const hoursLeft = (Date.parse(result.expires_at) - Date.now()) / 3_600_000
    expect(hoursLeft).to.be.within(1.9, 2)
    const store = await openStore(`sqlite:${join(dir, 'collector.db')}`)
    try {
      const agent = (id: string) => ({agent_id: id, hostname: 'h', cert_fingerprint: 'f', cert_serial: '1', enrolled_at: new Date().toISOString(), revoked_at: null, last_seen: null})
      const now = new Date().toISOString()
      expect(await store.enrollAgent(result.token, now, agent('a'))).to.equal(false)
      expect(await store.enrollAgent(sha256Hex(result.token), now, agent('a'))).to.equal(true)
      expect(await store.enrollAgent(sha256Hex(result.token), now, agent('b'))).to.equal(true)
      expect(await store.enrollAgent(sha256Hex(result.token), now, agent('c'))).to.equal(false)
    } finally {
      await store.close()
    }
  })

  it('refuses a bad --ttl or --uses with exit 2', async () => {
    expect((await runCli(['collector', 'token', 'create', '--dir', dir, '--ttl', 'soon'])).code).to.equal(2)
    expect((await runCli(['collector', 'token', 'create', '--dir', dir, '--uses', '0'])).code).to.equal(2)
  })

  it('refuses a folder that is not a collector', async () => {
    const out = await runCli(['collector', 'token', 'create', '--dir', mkdtempSync(join(tmpdir(), 'nmg-empty-'))])
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('collector init')
  })
})
