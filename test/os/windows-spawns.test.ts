// What nm-guard would start on Windows, measured on the real code paths: every program from the
// system directory by absolute path, every command line far below CreateProcess's 32,767
// characters, and one PowerShell per audit.
import {expect} from 'chai'

import {CREATE_PROCESS_LIMIT} from '../../src/os/windows-command-line.js'
import {type Spawned, windowsSpawns, type WindowsPath} from '../helpers/windows-spawns.js'

const SYSTEM32 = /^C:\\Windows\\System32\\(WindowsPowerShell\\v1\.0\\)?[\w.-]+\.exe$/i

describe('what nm-guard would spawn on Windows', function () {
  this.timeout(60_000)
  let spawns: Record<WindowsPath, Spawned[]>

  before(async () => {
    spawns = await windowsSpawns()
  })

  it('runs every program by its absolute path in the system directory', () => {
    for (const [path, list] of Object.entries(spawns)) {
      expect(list.length, `${path} starts something`).to.be.greaterThan(0)
      for (const s of list) expect(s.file, `${path}: ${s.commandLine.slice(0, 80)}`).to.match(SYSTEM32)
    }
  })

  it('keeps every command line far below the CreateProcess limit, with scripts on stdin', () => {
    for (const [path, list] of Object.entries(spawns)) {
      for (const s of list) expect(s.commandLine.length, `${path}: ${s.commandLine.slice(0, 80)}`).to.be.below(CREATE_PROCESS_LIMIT / 4)
    }
    const batch = spawns.audit.find((s) => /powershell\.exe$/i.test(s.file))
    // As -EncodedCommand (base64 of UTF-16LE) the batch would not fit: it must have gone on stdin.
    const encoded = Buffer.from(batch?.stdin ?? '', 'utf16le').toString('base64')
    expect(encoded.length).to.be.greaterThan(CREATE_PROCESS_LIMIT)
    expect(batch?.commandLine).not.to.contain("$nmgOut['")
  })

  it('starts one PowerShell and at most three console tools for an audit', () => {
    const powershell = spawns.audit.filter((s) => /powershell\.exe$/i.test(s.file))
    expect(powershell).to.have.length(1)
    expect(spawns.audit.length - powershell.length).to.be.at.most(3)
  })
})
