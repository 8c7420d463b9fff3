import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {collect, normaliseArch, osFamily, osVersionRow, parseIni, parseOsRelease} from '../../../src/facts/os-version/os-version.linux.js'
import {fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const base = {kernel: '5.10.0-amd64-desktop', kylinRelease: null, machine: 'x86_64', osVersion: null}

describe('os_version (linux)', () => {
  after(removeFakeRoots)

  describe('parseOsRelease', () => {
    it('unquotes double- and single-quoted values and skips comments', () => {
      const fields = parseOsRelease('# c\nNAME="Debian \\"GNU\\"/Linux"\nID=debian\nX=\'a $b\'\nlower=no\n')
      expect(fields.get('NAME')).to.equal('Debian "GNU"/Linux')
      expect(fields.get('ID')).to.equal('debian')
      expect(fields.get('X')).to.equal('a $b')
      expect(fields.has('lower')).to.equal(false)
    })
  })

  it('names Debian 12 from its os-release', () => {
    const row = osVersionRow({...base, osRelease: fixture('linux/os-release-debian12.txt')})
    expect(row).to.include({arch: 'x64', build: '5.10.0-amd64-desktop', family: 'debian', genuine: null, name: 'Debian GNU/Linux 12 (bookworm)', platform: 'linux', version: '12'})
  })

  it('reads 统信UOS edition, release and build from /etc/os-version', () => {
    expect(parseIni(fixture('linux/os-version-uos20.txt')).get('SystemName[zh_CN]')).to.equal('统信桌面操作系统')
    const row = osVersionRow({...base, machine: 'aarch64', osRelease: fixture('linux/os-release-uos20.txt'), osVersion: fixture('linux/os-version-uos20.txt')})
    expect(row).to.include({arch: 'arm64', build: '11014.102.100', family: 'uos', kernel: '5.10.0-amd64-desktop', name: 'UOS Desktop 20 Professional', version: '20.1060'})
  })

  it('names 银河麒麟 desktop V10 SP1 in English with its release id', () => {
    const row = osVersionRow({...base, machine: 'loongarch64', osRelease: fixture('linux/os-release-kylin-desktop-v10sp1.txt')})
    expect(row).to.include({arch: 'loong64', build: '2403', family: 'kylin', name: 'Kylin Linux Desktop V10 (SP1)', version: 'V10 (SP1)'})
  })

  it('names 麒麟 server V10 and falls back to /etc/kylin-release without os-release', () => {
    const server = osVersionRow({...base, osRelease: fixture('linux/os-release-kylin-server-v10.txt')})
    expect(server).to.include({family: 'kylin', name: 'Kylin Linux Advanced Server V10 (Lance)', version: 'V10 (Lance)'})
    const bare = osVersionRow({...base, kylinRelease: fixture('linux/kylin-release-server-v10.txt'), osRelease: null})
    expect(bare).to.include({name: 'Kylin Linux Advanced Server release V10 (Lance)', version: 'V10 (Lance)'})
  })

  it('puts rpm distributions in the rhel family, openEuler under its own id', () => {
    expect(osFamily(parseOsRelease(fixture('linux/os-release-centos8.txt')))).to.equal('rhel')
    expect(osFamily(parseOsRelease(fixture('linux/os-release-openeuler2003.txt')))).to.equal('openeuler')
  })

  it('maps uname machines to Node arch names', () => {
    expect(['x86_64', 'aarch64', 'loongarch64', 'mips64', 'riscv64'].map(normaliseArch)).to.deep.equal(['x64', 'arm64', 'loong64', 'mips64el', 'riscv64'])
  })

  it('fails with a reason when nothing names the system', () => {
    expect(() => osVersionRow({...base, osRelease: null})).to.throw(/os-release/)
  })

  it('collect reads the files under root', async () => {
    const root = fakeRoot({'etc/os-release': fixture('linux/os-release-uos20.txt'), 'etc/os-version': fixture('linux/os-version-uos20.txt')})
    const [row] = await collect(testContext('linux'), root)
    expect(row).to.include({family: 'uos', name: 'UOS Desktop 20 Professional', platform: 'linux'})
  })

  it('collect on this machine agrees with its os-release', async () => {
    const [row] = await collect(testContext('linux'))
    const id = parseOsRelease(readFileSync('/etc/os-release', 'utf8')).get('ID')
    expect(row?.name).to.be.a('string').with.length.greaterThan(0)
    if (id === 'debian') expect(row?.family).to.equal('debian')
  })
})
