import {expect} from 'chai'

import {antivirusRows, collect, parseCvdHeader, readClamavDatabase} from '../../../src/facts/antivirus/antivirus.linux.js'
import {DPKG_QUERY_ARGS} from '../../../src/facts/linux/packages.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeProcess, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const NOW = new Date('2026-11-27T08:00:00Z')
const header = (name: string): Buffer => Buffer.from(fixture(`linux/${name}`).trim().padEnd(512, ' '), 'latin1')
const proc = (name: string): {comm: string; name: string} => ({comm: name, name})
const noDb = {builtAt: [], modifiedAt: []}

describe('antivirus (linux)', () => {
  after(removeFakeRoots)

  describe('parseCvdHeader', () => {
    it('reads the build time from the epoch field', () => {
      expect(parseCvdHeader(fixture('linux/clamav-daily-header.txt'))).to.equal('2026-11-18T09:27:00.000Z')
      expect(parseCvdHeader(fixture('linux/clamav-main-header.txt'))).to.equal('2021-09-16T12:32:07.000Z')
    })

    it('falls back to the formatted time when the header has no epoch', () => {
      expect(parseCvdHeader('ClamAV-VDB:16 Mar 2016 23-17 +0000:57:4218790:60:06386f34a16ebeea2733ab037f0536be:')).to.equal('2016-03-16T23:17:00.000Z')
      expect(parseCvdHeader('not a database')).to.equal(null)
    })
  })

  describe('antivirusRows', () => {
    it('reports ClamAV running without on-access scanning, with signature age', () => {
      const rows = antivirusRows({clamav: {builtAt: ['2026-11-18T09:27:00.000Z', '2021-09-16T12:32:07.000Z'], modifiedAt: ['2026-11-26T00:00:00.000Z']}, packages: [{name: 'clamav-daemon'}], processes: [proc('clamd'), proc('freshclam'), proc('bash')]}, NOW)
      expect(rows).to.deep.equal([{name: 'ClamAV', realtime_enabled: false, running: true, signatures_age_days: 8, signatures_updated_at: '2026-11-18T09:27:00.000Z', source: 'clamav', up_to_date: null}])
    })

    it('counts clamonacc as real-time protection and an installed-only ClamAV as not running', () => {
      expect(antivirusRows({clamav: noDb, packages: [], processes: [proc('clamonacc')]}, NOW)[0]).to.include({realtime_enabled: true, running: true})
      expect(antivirusRows({clamav: noDb, packages: [{name: 'clamav'}], processes: []}, NOW)[0]).to.include({running: false, signatures_updated_at: null})
    })

    it('finds domestic products by package and by process', () => {
      const rows = antivirusRows({clamav: noDb, packages: [{name: 'tianqing'}], processes: [proc('hrsvc')]}, NOW)
      expect(rows.find((r) => r.name === '奇安信天擎 QAX')).to.include({running: false, source: 'package'})
      expect(rows.find((r) => r.name === '火绒安全 Huorong')).to.include({running: true, source: 'process'})
    })

    it('is empty when nothing is found', () => {
      expect(antivirusRows({clamav: noDb, packages: [{name: 'bash'}], processes: [proc('sshd')]}, NOW)).to.deep.equal([])
    })
  })

  it('collect joins packages, /proc and the ClamAV database under root', async () => {
    const root = fakeRoot({
      'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nclamav:x:110:115::/var/lib/clamav:/bin/false\n',
      ...fakeProcess(812, {exe: '/usr/sbin/clamd', name: 'clamd', uid: 110}),
      ...fakeProcess(813, {exe: '/usr/sbin/clamonacc', name: 'clamonacc'}),
      ...fakeProcess(900, {exe: '/opt/qaxsafe/bin/qaxengmanager', name: 'qaxengmanager'}),
      'var/lib/clamav/daily.cld': header('clamav-daily-header.txt'),
      'var/lib/clamav/main.cvd': header('clamav-main-header.txt'),
      'var/lib/dpkg/status': '',
    })
    expect(readClamavDatabase(root).builtAt.sort()).to.deep.equal(['2021-09-16T12:32:07.000Z', '2026-11-18T09:27:00.000Z'])
    const exec = fakeExec({[['dpkg-query', ...DPKG_QUERY_ARGS].join(' ')]: fixture('linux/dpkg-query-uos20.txt')})
    const rows = await collect(testContext('linux', {exec}), root)
    expect(rows.find((r) => r.name === 'ClamAV')).to.include({realtime_enabled: true, running: true, signatures_age_days: 8})
    expect(rows.find((r) => r.name === '奇安信天擎 QAX')).to.include({running: true, source: 'process'})
  })

  it('collect still reads processes when there is no package database', async () => {
    const root = fakeRoot({...fakeProcess(42, {exe: '/usr/sbin/clamd', name: 'clamd'})})
    const rows = await collect(testContext('linux', {exec: fakeExec({})}), root)
    expect(rows.map((r) => r.name)).to.deep.equal(['ClamAV'])
  })
})
