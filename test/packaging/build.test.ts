// The build driver's own outputs: SHA256SUMS in the format `sha256sum -c` checks, and the artifact
// names the README and the deployment guide use.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {ARTIFACTS, writeSums} from '../../packaging/build.js'
import {debFileName} from '../../packaging/deb.js'
import {windowsPackageName} from '../../packaging/windows-tree.js'

describe('packaging: build driver', function () {
  it('writes SHA256SUMS that sha256sum -c accepts, and that catches a changed file', function () {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-sums-'))
    const files = ['nm-guard-agent_0.1.0_amd64.deb', 'nm-guard-agent-0.1.0-win-x64.msi'].map((name, i) => {
      const file = join(dir, name)
      writeFileSync(file, `package ${i}`)
      return file
    })
    writeSums(dir, files.map((file) => ({artifact: 'msi' as const, bytes: 9, file, seconds: 0})))
    expect(execFileSync('/usr/bin/sha256sum', ['-c', 'SHA256SUMS'], {cwd: dir, encoding: 'utf8'})).to.equal('nm-guard-agent-0.1.0-win-x64.msi: OK\nnm-guard-agent_0.1.0_amd64.deb: OK\n')
    writeFileSync(files[0] as string, 'tampered')
    expect(spawnSync('/usr/bin/sha256sum', ['-c', 'SHA256SUMS'], {cwd: dir}).status).to.equal(1)
  })

  it('names the packages as the issue and the guide do', function () {
    expect(ARTIFACTS).to.deep.equal(['msi', 'zip', 'agent-deb-amd64', 'agent-deb-arm64', 'collector-deb-amd64'])
    expect(windowsPackageName('1.2.3', 'msi')).to.equal('nm-guard-agent-1.2.3-win-x64.msi')
    expect(windowsPackageName('1.2.3', 'zip')).to.equal('nm-guard-agent-1.2.3-win-x64.zip')
    expect(debFileName({arch: 'arm64', kind: 'agent', version: '1.2.3'})).to.equal('nm-guard-agent_1.2.3_arm64.deb')
    expect(debFileName({arch: 'amd64', kind: 'collector', version: '1.2.3'})).to.equal('nm-guard-collector_1.2.3_amd64.deb')
  })
})
