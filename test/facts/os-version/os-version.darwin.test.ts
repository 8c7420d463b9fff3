import {expect} from 'chai'

import {collect, normaliseArch, osVersionRow, parseSwVers} from '../../../src/facts/os-version/os-version.darwin.js'
import {FactError} from '../../../src/os/fact-error.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

describe('os_version on darwin', () => {
  it('parses sw_vers on Sonoma', () => {
    expect(parseSwVers(fixture('darwin/sw_vers-sonoma.txt'))).to.deep.equal({buildVersion: '23E224', productName: 'macOS', productVersion: '14.4.1', versionExtra: null})
  })

  it('keeps a Rapid Security Response suffix apart from the version', () => {
    const row = osVersionRow(parseSwVers(fixture('darwin/sw_vers-ventura-rsr.txt')), 'arm64')
    expect(row.name).to.equal('macOS Ventura')
    expect(row.version).to.equal('13.4.1')
    expect(row.version_extra).to.equal('(c)')
    expect(row.build).to.equal('22F770820d')
  })

  it('names 10.x releases by their minor version', () => {
    const row = osVersionRow(parseSwVers(fixture('darwin/sw_vers-catalina.txt')), 'x64')
    expect(row.name).to.equal('Mac OS X Catalina')
    expect(row.family).to.equal('macos')
  })

  it('spells architectures like Node and sees through Rosetta', () => {
    expect(normaliseArch('x86_64\n', false)).to.equal('x64')
    expect(normaliseArch('arm64\n', false)).to.equal('arm64')
    expect(normaliseArch('x86_64\n', true)).to.equal('arm64')
  })

  it('collects one row, genuine unknown', async () => {
    const exec = fakeExec({
      '/usr/bin/sw_vers': fixture('darwin/sw_vers-sonoma.txt'),
      '/usr/bin/uname -m': 'x86_64\n',
      '/usr/sbin/sysctl -in sysctl.proc_translated': '1\n',
    })
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows).to.deep.equal([
      {activation_channel: null, arch: 'arm64', build: '23E224', family: 'macos', genuine: null, name: 'macOS Sonoma', platform: 'darwin', version: '14.4.1', version_extra: null},
    ])
  })

  it('throws a FactError when sw_vers is missing', async () => {
    const exec = fakeExec({'/usr/bin/uname -m': 'arm64\n'})
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('missing_tool')
    expect((error as FactError).message).to.match(/sw_vers not found/)
  })
})
