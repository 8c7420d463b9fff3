import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {FactError} from '../../../src/os/fact-error.js'
import {RPM_QUERY_ARGS} from '../../../src/facts/linux/packages.js'
import {APT_SIM_ARGS, collect, localTimeToIso, parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurity, parseDpkgLog, patchRow} from '../../../src/facts/patch-status/patch-status.linux.js'
import type {CollectContext} from '../../../src/facts/types.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const APT = ['apt-get', ...APT_SIM_ARGS].join(' ')
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number): string => new Date(y, mo - 1, d, h, mi, s).toISOString()

describe('patch_status (linux)', () => {
  after(removeFakeRoots)

  describe('parseDpkgLog', () => {
    it('finds the newest upgrade and the newest installation', () => {
      expect(parseDpkgLog(fixture('linux/dpkg.log-upgrades.txt'))).to.deep.equal({lastInstalled: '2026-09-22 04:45:53', lastUpgrade: '2026-09-22 04:45:39'})
    })

    it('has no upgrade in a month of new installations only', () => {
      expect(parseDpkgLog(fixture('linux/dpkg.log-installs-only.txt'))).to.deep.equal({lastInstalled: '2026-11-27 16:47:31', lastUpgrade: null})
    })

    it('reads the zone-less timestamps as local time', () => {
      expect(localTimeToIso('2026-09-22 04:45:39')).to.equal(local(2026, 9, 22, 4, 45, 39))
      expect(localTimeToIso('garbage')).to.equal(null)
    })
  })

  describe('parseAptSimulation', () => {
    it('counts upgrades and those from a security archive (Debian 12)', () => {
      const parsed = parseAptSimulation(fixture('linux/apt-get-s-dist-upgrade-debian12.txt'))
      expect(parsed.pending).to.equal(138)
      expect(parsed.security).to.equal(83)
      expect(parsed.securityPackages).to.include('libssl3').and.not.include('base-files')
    })

    it('recognises Ubuntu security pockets and new packages without an old version', () => {
      const text = [
        'Inst libssl3 [3.0.2-0ubuntu1.10] (3.0.2-0ubuntu1.12 Ubuntu:22.04/jammy-updates, Ubuntu:22.04/jammy-security [amd64])',
        'Inst linux-image-5.15.0-91-generic (5.15.0-91.101 Ubuntu:22.04/jammy-updates [amd64])',
        'Conf libssl3 (3.0.2-0ubuntu1.12 Ubuntu:22.04/jammy-updates, Ubuntu:22.04/jammy-security [amd64])',
      ].join('\n')
      expect(parseAptSimulation(text)).to.include({pending: 2, security: 1})
    })
  })

  it('parseDnfCheckUpdate counts wrapped lines once and stops at Obsoleting Packages', () => {
    expect(parseDnfCheckUpdate(fixture('linux/dnf-check-update.txt'))).to.equal(5)
    expect(parseDnfCheckUpdate('')).to.equal(0)
  })

  it('parseDnfSecurity counts packages from dnf and yum 3 listings', () => {
    expect(parseDnfSecurity(fixture('linux/dnf-updateinfo-security.txt'))).to.equal(4)
    expect(parseDnfSecurity(fixture('linux/yum-updateinfo-security.txt'))).to.equal(3)
  })

  it('patchRow computes days since the last patch on the given clock', () => {
    const row = patchRow({lastPatchAt: '2026-11-20T08:00:00.000Z', pending: {pending: 3, security: 1, securityPackages: []}, source: 'apt'}, new Date('2026-11-27T08:00:00Z'))
    expect(row).to.deep.equal({days_since_patch: 7, last_patch_at: '2026-11-20T08:00:00.000Z', pending_count: 3, pending_security_count: 1, source: 'apt'})
  })

  describe('collect on dpkg systems', () => {
    const dpkgRoot = (extra: Record<string, string> = {}): string =>
      fakeRoot({
        'var/lib/dpkg/status': '',
        'var/log/dpkg.log': fixture('linux/dpkg.log-installs-only.txt'),
        'var/log/dpkg.log.1': '',
        ...extra,
      })

    it('reads rotated, gzipped logs until it finds an upgrade, and apt for what is pending', async () => {
      const root = dpkgRoot()
      writeFileSync(join(root, 'var/log/dpkg.log.2.gz'), gzipSync(fixture('linux/dpkg.log-upgrades.txt')))
      const exec = fakeExec({[APT]: fixture('linux/apt-get-s-dist-upgrade-debian12.txt')})
      const [row] = await collect(testContext('linux', {exec}), root)
      expect(row).to.include({last_patch_at: local(2026, 9, 22, 4, 45, 39), pending_count: 138, pending_security_count: 83, source: 'apt'})
      expect(row?.days_since_patch).to.be.within(65, 67)
    })

    it('falls back to the newest installation when no log holds an upgrade', async () => {
      const exec = fakeExec({[APT]: 'Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n'})
      const [row] = await collect(testContext('linux', {exec}), dpkgRoot())
      expect(row).to.include({last_patch_at: local(2026, 11, 27, 16, 47, 31), pending_count: 0, pending_security_count: 0})
    })

    it('on 统信UOS counts what its security.list offers as security updates', async () => {
      const root = dpkgRoot({'etc/apt/sources.list.d/security.list': 'deb https://professional-security.chinauos.com eagle/1060 main\n'})
      const list = join(root, 'etc/apt/sources.list.d/security.list')
      const exec = fakeExec({
        [APT]: 'Inst openssl [1.1.1d-2+deb10u7] (1.1.1n-0+deb10u6 uos:20/eagle [amd64])\nInst dde-dock [5.5.0-1] (5.5.1-1 uos:20/eagle [amd64])\n',
        [['apt-get', '-s', '-o', 'Debug::NoLocking=1', '-o', `Dir::Etc::SourceList=${list}`, '-o', 'Dir::Etc::SourceParts=/dev/null', 'dist-upgrade'].join(' ')]:
          'Inst openssl [1.1.1d-2+deb10u7] (1.1.1n-0+deb10u6 uos:20/eagle [amd64])\n',
      })
      const [row] = await collect(testContext('linux', {exec}), root)
      expect(row).to.include({pending_count: 2, pending_security_count: 1})
    })

    it('caches the simulation under a fingerprint of apt and dpkg state', async () => {
      const root = dpkgRoot()
      const prints: string[] = []
      const cached: CollectContext['cached'] = (key, fingerprint, compute) => {
        prints.push(`${key}:${fingerprint}`)
        return compute()
      }
      const exec = fakeExec({[APT]: fixture('linux/apt-get-s-dist-upgrade-debian12.txt')})
      await collect(testContext('linux', {cached, exec}), root)
      await collect(testContext('linux', {cached, exec}), root)
      writeFileSync(join(root, 'var/lib/dpkg/status'), 'Package: changed\n')
      await collect(testContext('linux', {cached, exec}), root)
      expect(prints[0]).to.match(/^apt-pending:[0-9a-f]{64}$/)
      expect(prints[1]).to.equal(prints[0])
      expect(prints[2]).to.not.equal(prints[0])
    })

    it('throws with apt\'s own error when the simulation fails', async () => {
      const exec = fakeExec({[APT]: {code: 100, stderr: 'E: Unmet dependencies. Try \'apt --fix-broken install\' with no packages (or specify a solution).\n'}})
      const error = await collect(testContext('linux', {exec}), dpkgRoot()).catch((e: unknown) => e)
      expect((error as FactError).message).to.match(/apt-get -s dist-upgrade exited 100: E: Unmet dependencies/)
    })
  })

  describe('collect on rpm systems', () => {
    const rpm = {[['rpm', ...RPM_QUERY_ARGS].join(' ')]: fixture('linux/rpm-qa-kylin-server-v10.txt')}

    it('takes the newest INSTALLTIME and dnf\'s cached metadata', async () => {
      const exec = fakeExec({
        ...rpm,
        'dnf -q --cacheonly check-update': {code: 100, stdout: fixture('linux/dnf-check-update.txt')},
        'dnf -q --cacheonly updateinfo list --security': fixture('linux/dnf-updateinfo-security.txt'),
      })
      const [row] = await collect(testContext('linux', {exec}), fakeRoot({'var/lib/rpm': {dir: true}}))
      expect(row).to.deep.equal({days_since_patch: 1092, last_patch_at: '2023-11-30T08:51:30.000Z', pending_count: 5, pending_security_count: 4, source: 'dnf'})
    })

    it('needs root for dnf\'s metadata cache', async () => {
      const exec = fakeExec({
        ...rpm,
        'dnf -q --cacheonly check-update': {code: 1, stderr: "Error: Cache-only enabled but no cache for 'ks10-adv-os'"},
        'dnf -q --cacheonly updateinfo list --security': {code: 1, stderr: "Error: Cache-only enabled but no cache for 'ks10-adv-os'"},
      })
      const error = await collect(testContext('linux', {exec, isAdmin: async () => false}), fakeRoot({'var/lib/rpm': {dir: true}})).catch((e: unknown) => e)
      expect((error as FactError).kind).to.equal('permission')
      expect((error as FactError).message).to.match(/root.*dnf --cacheonly check-update/)
    })

    it('uses yum where dnf is missing', async () => {
      const exec = fakeExec({
        ...rpm,
        'yum -q --cacheonly check-update': {code: 0, stdout: ''},
        'yum -q --cacheonly updateinfo list --security': fixture('linux/yum-updateinfo-security.txt'),
      })
      const [row] = await collect(testContext('linux', {exec}), fakeRoot({'var/lib/rpm': {dir: true}}))
      expect(row).to.include({pending_count: 0, pending_security_count: 3, source: 'yum'})
    })
  })

  it('throws missing_tool with neither a package log, apt, dnf nor rpm', async () => {
    const error = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot({})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('missing_tool')
  })
})
