// The portable zip's layout and reproducibility, on a small fake staged tree (the real one is
// unzipped and run under Wine in portable.wine.test.ts).
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {unzipSync} from 'fflate'

import type {StagedTree} from '../../packaging/stage.js'
import {LAUNCHER_TEXT} from '../../packaging/windows-launcher.js'
import {appVersion, windowsPackageName} from '../../packaging/windows-tree.js'
import {buildZip} from '../../packaging/zip.js'

function fakeTree(root: string): StagedTree {
  const dir = join(root, 'agent-win32-x64')
  const app = join(dir, 'app')
  for (const d of ['bin', 'dist/commands', 'node_modules/@napi-rs/keyring-win32-x64-msvc']) mkdirSync(join(app, d), {recursive: true})
  writeFileSync(join(dir, 'node.exe'), 'MZ fake node')
  writeFileSync(join(dir, 'node.LICENSE'), 'Node.js license')
  writeFileSync(join(app, 'package.json'), JSON.stringify({name: 'nm-guard', version: '9.8.7'}))
  writeFileSync(join(app, 'bin', 'run.js'), '// run')
  writeFileSync(join(app, 'dist', 'commands', 'audit.js'), '// audit')
  writeFileSync(join(app, 'node_modules', '@napi-rs', 'keyring-win32-x64-msvc', 'keyring.win32-x64-msvc.node'), 'native')
  return {app, dir, node: join(dir, 'node.exe')}
}

describe('the portable zip', () => {
  let root: string
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'nmg-zip-test-'))))
  afterEach(() => rmSync(root, {force: true, recursive: true}))

  it('holds node.exe, its licence, nm-guard.cmd and app\\ under one nm-guard folder, named for the version', () => {
    const staged = fakeTree(root)
    expect(windowsPackageName(appVersion(staged), 'zip')).to.equal('nm-guard-agent-9.8.7-win-x64.zip')
    const out = join(root, 'out.zip')
    buildZip(staged, out)
    const entries = unzipSync(readFileSync(out))
    expect(Object.keys(entries)).to.deep.equal([
      'nm-guard/app/bin/run.js',
      'nm-guard/app/dist/commands/audit.js',
      'nm-guard/app/node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node',
      'nm-guard/app/package.json',
      'nm-guard/nm-guard.cmd',
      'nm-guard/node.LICENSE',
      'nm-guard/node.exe',
    ])
    expect(Buffer.from(entries['nm-guard/nm-guard.cmd'] as Uint8Array).toString('latin1')).to.equal(LAUNCHER_TEXT)
    expect(Buffer.from(entries['nm-guard/node.exe'] as Uint8Array).toString()).to.equal('MZ fake node')
  })

  it('is byte-identical when built again from the same tree, whatever the files\' times and the time zone', () => {
    const staged = fakeTree(root)
    buildZip(staged, join(root, 'a.zip'))
    // New mtimes on every file, another zone: neither may reach the archive.
    writeFileSync(join(staged.app, 'bin', 'run.js'), '// run')
    const tz = process.env.TZ
    process.env.TZ = 'America/Los_Angeles'
    try {
      buildZip(staged, join(root, 'b.zip'))
    } finally {
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    }
    expect(readFileSync(join(root, 'b.zip')).equals(readFileSync(join(root, 'a.zip')))).to.equal(true)
  })
})
