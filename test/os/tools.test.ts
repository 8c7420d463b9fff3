import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {normaliseSystemRoot} from '../../src/os/system-root.js'
import {exec} from '../../src/os/spawn.js'
import {LINUX_TOOL_DIRS, toolName, toolPath, withToolPaths} from '../../src/os/tools.js'
import {fakeExec} from '../helpers/fake-exec.js'

describe('tool paths (every program by absolute path)', () => {
  it('finds Windows tools in the system root, PowerShell in its own folder', () => {
    expect(toolPath('netsh', 'win32')).to.equal('C:\\Windows\\System32\\netsh.exe')
    expect(toolPath('schtasks.exe', 'win32')).to.equal('C:\\Windows\\System32\\schtasks.exe')
    expect(toolPath('powershell.exe', 'win32')).to.equal('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(toolPath('C:\\Program Files\\nm-guard\\node.exe', 'win32')).to.equal('C:\\Program Files\\nm-guard\\node.exe')
  })

  it('takes the system root from the kernel’s answer, never a user path', () => {
    expect(normaliseSystemRoot('\\\\?\\C:\\Windows')).to.equal('C:\\Windows')
    expect(normaliseSystemRoot('D:\\WINNT')).to.equal('D:\\WINNT')
    expect(normaliseSystemRoot('\\\\evil\\share\\Windows')).to.equal(null)
    expect(normaliseSystemRoot('C:\\Users\\x\\..\\Windows;C:\\bad')).to.equal(null)
  })

  it('finds Linux tools only in the system directories, whatever PATH or the current folder hold', async function () {
    if (process.platform !== 'linux') this.skip()
    expect(toolPath('ls', 'linux')).to.be.oneOf(LINUX_TOOL_DIRS.map((d) => `${d}/ls`))
    // A planted `nmg-planted-tool` on PATH and in the current folder is never what runs.
    const dir = mkdtempSync(join(tmpdir(), 'nmg-planted-'))
    const planted = join(dir, 'nmg-planted-tool')
    writeFileSync(planted, '#!/bin/sh\necho planted\n')
    chmodSync(planted, 0o755)
    const before = {cwd: process.cwd(), path: process.env.PATH}
    process.env.PATH = `${dir}:${before.path ?? ''}`
    process.chdir(dir)
    try {
      expect(toolPath('nmg-planted-tool', 'linux')).to.equal('/usr/bin/nmg-planted-tool')
      const error = await exec('nmg-planted-tool', []).catch((e: unknown) => e)
      expect(error).to.have.property('kind', 'missing_tool')
    } finally {
      process.chdir(before.cwd)
      process.env.PATH = before.path
    }
  })

  it('wraps an exec seam so that what it is asked to run is a system path', async () => {
    const inner = fakeExec({netsh: 'ok'})
    const wrapped = withToolPaths(inner, 'win32')
    await wrapped('netsh', ['advfirewall'])
    expect(inner.calls).to.deep.equal([['C:\\Windows\\System32\\netsh.exe', 'advfirewall']])
    expect(withToolPaths(wrapped, 'win32')).to.equal(wrapped)
    expect(toolName('C:\\Windows\\System32\\netsh.exe')).to.equal('netsh')
    expect(toolName('/usr/sbin/nft')).to.equal('nft')
  })
})
