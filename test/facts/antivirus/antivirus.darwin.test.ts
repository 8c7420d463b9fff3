import {expect} from 'chai'

import {collect, newestBundle, parseStatMtimes, productRows, xprotectRow} from '../../../src/facts/antivirus/antivirus.darwin.js'
import {parsePs} from '../../../src/facts/darwin/processes.js'
import {FactError} from '../../../src/os/fact-error.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const OLD = '/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist'
const NEW = '/var/protected/xprotect/XProtect.bundle/Contents/Info.plist'
const PLUTIL = '/usr/bin/plutil -convert xml1 -o -'
const STAT = `/usr/bin/stat -f %m %N ${OLD} ${NEW}`
const PS = '/bin/ps -axo pid=,user=,comm='
const NOW = new Date('2026-11-27T08:00:00Z')

describe('antivirus on darwin', () => {
  it('reads bundle modification times from stat', () => {
    const mtimes = parseStatMtimes(fixture('darwin/stat-xprotect-both.txt'))
    expect(mtimes.get(OLD)).to.equal('2026-11-19T10:00:00.000Z')
    expect(mtimes.get(NEW)).to.equal('2026-11-25T14:20:00.000Z')
  })

  it('uses the newer of the two XProtect bundles', () => {
    const best = newestBundle([
      {modifiedAt: null, path: 'old', version: '5287'},
      {modifiedAt: null, path: 'new', version: '5290'},
    ])
    expect(best?.path).to.equal('new')
  })

  it('reports XProtect as always on, dated by its latest update', () => {
    expect(xprotectRow({modifiedAt: '2026-11-19T10:00:00.000Z', path: 'x', version: '5287'}, '2026-11-20T22:47:05.000Z', NOW)).to.deep.equal({
      name: 'XProtect',
      realtime_enabled: true,
      running: true,
      signatures_age_days: 6,
      signatures_updated_at: '2026-11-20T22:47:05.000Z',
      source: 'xprotect',
      up_to_date: null,
      version: '5287',
    })
  })

  it('recognises third-party products by process, once each', () => {
    const rows = productRows(parsePs(fixture('darwin/ps-axo.txt')))
    expect(rows.map((r) => r.name)).to.deep.equal(['Microsoft Defender for Endpoint'])
    expect(rows[0]).to.include({realtime_enabled: null, running: true, source: 'process'})
  })

  it('collects XProtect on Sequoia from the newer protected bundle', async () => {
    const exec = fakeExec({
      [`${PLUTIL} ${OLD}`]: fixture('darwin/XProtect-Info.plist.xml'),
      [`${PLUTIL} ${NEW}`]: fixture('darwin/XProtect-Info-protected.plist.xml'),
      [`${PLUTIL} /Library/Receipts/InstallHistory.plist`]: fixture('darwin/InstallHistory.plist'),
      [PS]: fixture('darwin/ps-axo.txt'),
      [STAT]: fixture('darwin/stat-xprotect-both.txt'),
    })
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows[0]).to.include({name: 'XProtect', signatures_age_days: 1, signatures_updated_at: '2026-11-25T14:20:00.000Z', version: '5290'})
    expect(rows[1]).to.include({name: 'Microsoft Defender for Endpoint', source: 'process'})
  })

  it('collects XProtect on Sonoma, dated by its InstallHistory record', async () => {
    const exec = fakeExec({
      [`${PLUTIL} ${OLD}`]: fixture('darwin/XProtect-Info.plist.xml'),
      [`${PLUTIL} ${NEW}`]: {code: 1, stderr: `${NEW}: file does not exist or is not readable or is not a regular file`},
      [`${PLUTIL} /Library/Receipts/InstallHistory.plist`]: fixture('darwin/InstallHistory.plist'),
      [PS]: '    1 root             /sbin/launchd\n',
      [STAT]: {code: 1, stderr: fixture('darwin/stat-xprotect-sonoma.stderr.txt'), stdout: fixture('darwin/stat-xprotect-sonoma.txt')},
    })
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows).to.deep.equal([
      {name: 'XProtect', realtime_enabled: true, running: true, signatures_age_days: 6, signatures_updated_at: '2026-11-20T22:47:05.000Z', source: 'xprotect', up_to_date: null, version: '5287'},
    ])
  })

  it('throws when ps cannot run', async () => {
    const exec = fakeExec({[STAT]: {code: 1}, [`${PLUTIL} ${OLD}`]: {code: 1}, [`${PLUTIL} ${NEW}`]: {code: 1}, [`${PLUTIL} /Library/Receipts/InstallHistory.plist`]: {code: 1}})
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).message).to.match(/ps not found/)
  })
})
