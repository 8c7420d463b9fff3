import {expect} from 'chai'

import {toolName} from '../../../src/os/tools.js'
import {existsSync} from 'node:fs'

import {exec as realExec} from '../../../src/os/spawn.js'
import {FactError} from '../../../src/os/fact-error.js'
import {collect} from '../../../src/facts/installed-software/installed-software.linux.js'
import {DPKG_QUERY_ARGS, FLATPAK_LIST_ARGS, parseDpkgQuery, parseFlatpakList, parseRpmQuery, parseSnapList, RPM_QUERY_ARGS, SNAP_LIST_ARGS} from '../../../src/facts/linux/packages.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const key = (file: string, args: string[]): string => [file, ...args].join(' ')

describe('installed_software (linux)', () => {
  after(removeFakeRoots)

  describe('parseDpkgQuery', () => {
    it('keeps installed packages with version and maintainer (Debian 12)', () => {
      const rows = parseDpkgQuery(fixture('linux/dpkg-query-debian12.txt'))
      expect(rows).to.have.length(33)
      expect(rows.find((r) => r.name === 'openssh-client')).to.include({publisher: 'Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>', source: 'dpkg', version: '1:9.2p1-2+deb12u6'})
    })

    it('drops removed (config-files) and half-installed packages, keeps both architectures and Chinese maintainers', () => {
      const rows = parseDpkgQuery(fixture('linux/dpkg-query-uos20.txt'))
      const names = rows.map((r) => r.name)
      expect(names).to.not.include('clamav-daemon')
      expect(names).to.not.include('unattended-upgrades')
      expect(names.filter((n) => n === 'libc6')).to.have.length(2)
      expect(rows.find((r) => r.name === 'qaxsafe')?.publisher).to.equal('奇安信网神信息技术（北京）股份有限公司 <support@qianxin.com>')
      expect(rows.find((r) => r.name === 'com.qq.weixin.deepin')).to.include({architecture: 'i386', version: '3.2.1.154deepin14'})
    })
  })

  it('parseRpmQuery converts INSTALLTIME, maps (none) to null and skips gpg-pubkey', () => {
    const rows = parseRpmQuery(fixture('linux/rpm-qa-kylin-server-v10.txt'))
    expect(rows.map((r) => r.name)).to.deep.equal(['kernel', 'openssl', 'firewalld', 'qaxsafe', 'clamav'])
    expect(rows[0]).to.include({install_date: '2021-04-19T02:40:30.000Z', publisher: 'Kylin Linux', source: 'rpm', version: '4.19.90-24.4.v2101.ky10'})
    expect(rows.find((r) => r.name === 'qaxsafe')?.publisher).to.equal(null)
  })

  it('parseSnapList strips verification marks and skips the header', () => {
    const rows = parseSnapList(fixture('linux/snap-list.txt'))
    expect(rows.map((r) => r.name)).to.deep.equal(['bare', 'core22', 'firefox', 'snapd', 'todesk'])
    expect(rows.find((r) => r.name === 'firefox')).to.include({location: '/snap/firefox/current', publisher: 'mozilla', version: '122.0-2'})
    expect(parseSnapList('code  1.85.2  155  latest/stable  vscode✓  classic')[0]?.publisher).to.equal('vscode')
  })

  it('parseFlatpakList reads application id, version and remote', () => {
    const rows = parseFlatpakList(fixture('linux/flatpak-list.txt'))
    expect(rows).to.have.length(3)
    expect(rows[0]).to.include({location: '/var/lib/flatpak/app/com.qq.QQ', name: 'com.qq.QQ', publisher: 'flathub', source: 'flatpak', version: '3.2.9'})
    expect(rows[1]).to.include({location: null, name: 'com.tencent.WeChat'})
  })

  it('collect merges dpkg, snap and flatpak and dates dpkg packages from info/*.list', async () => {
    const when = new Date('2026-03-04T05:06:07Z')
    const root = fakeRoot({
      'var/lib/dpkg/info/com.qq.weixin.deepin:i386.list': {content: '/.\n', mtime: when},
      'var/lib/dpkg/info/qaxsafe.list': {content: '/.\n', mtime: when},
      'var/lib/dpkg/status': '',
      'var/lib/flatpak': {dir: true},
      'var/lib/snapd': {dir: true},
    })
    const exec = fakeExec({
      [key('dpkg-query', DPKG_QUERY_ARGS)]: fixture('linux/dpkg-query-uos20.txt'),
      [key('flatpak', FLATPAK_LIST_ARGS)]: fixture('linux/flatpak-list.txt'),
      [key('snap', SNAP_LIST_ARGS)]: fixture('linux/snap-list.txt'),
    })
    const rows = await collect(testContext('linux', {exec}), root)
    expect(rows.filter((r) => r.source === 'dpkg')).to.have.length(9)
    expect(rows.filter((r) => r.source === 'snap')).to.have.length(5)
    expect(rows.filter((r) => r.source === 'flatpak')).to.have.length(3)
    expect(rows.find((r) => r.name === 'qaxsafe')?.install_date).to.equal('2026-03-04T05:06:07.000Z')
    expect(rows.find((r) => r.name === 'com.qq.weixin.deepin')?.install_date).to.equal('2026-03-04T05:06:07.000Z')
    expect(rows.find((r) => r.name === 'lastore-daemon')?.install_date).to.equal(null)
    // No rpm database: rpm is never started.
    expect(exec.calls.map((c) => toolName(c[0] ?? ''))).to.not.include('rpm')
  })

  it('collect reads rpm on rpm systems and ignores a snapd that does not answer', async () => {
    const root = fakeRoot({'var/lib/rpm': {dir: true}, 'var/lib/snapd': {dir: true}})
    const exec = fakeExec({
      [key('rpm', RPM_QUERY_ARGS)]: fixture('linux/rpm-qa-kylin-server-v10.txt'),
      [key('snap', SNAP_LIST_ARGS)]: {code: 1, stderr: 'error: cannot communicate with server: connection refused'},
    })
    const rows = await collect(testContext('linux', {exec}), root)
    expect(rows.map((r) => r.source)).to.deep.equal(['rpm', 'rpm', 'rpm', 'rpm', 'rpm'])
  })

  it('collect throws missing_tool when no package system exists', async () => {
    const error = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot({})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('missing_tool')
    expect((error as FactError).message).to.match(/dpkg, rpm/)
  })

  it('collect throws when dpkg-query itself fails', async () => {
    const exec = fakeExec({[key('dpkg-query', DPKG_QUERY_ARGS)]: {code: 2, stderr: "dpkg-query: error: parsing file '/var/lib/dpkg/status' near line 12"}})
    const error = await collect(testContext('linux', {exec}), fakeRoot({'var/lib/dpkg/status': 'garbage'})).catch((e: unknown) => e)
    expect((error as FactError).message).to.match(/dpkg-query exited 2: dpkg-query: error: parsing file/)
  })

  it('collect on this machine lists its dpkg packages', async function () {
    if (!existsSync('/var/lib/dpkg/status')) this.skip()
    const rows = await collect(testContext('linux', {exec: realExec}))
    expect(rows.find((r) => r.name === 'dpkg')).to.include({source: 'dpkg'})
  })
})
