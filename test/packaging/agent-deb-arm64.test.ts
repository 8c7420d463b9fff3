// The arm64 agent package (鲲鹏, 飞腾) on this x86-64 machine: its files unpacked, its own runtime
// run under qemu-user with Debian's arm64 C library (multiarch libc6:arm64, libstdc++6:arm64).
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {packageFile} from '../helpers/packages.js'
import {requirePart} from '../helpers/require-part.js'

const QEMU = '/usr/bin/qemu-aarch64-static'
const ARM64_LOADER = '/lib/ld-linux-aarch64.so.1'

describe('packaging: the arm64 agent .deb under qemu-aarch64', function () {
  this.timeout(300_000)
  let root: string
  let deb: string

  before(async function () {
    requirePart(this, existsSync(QEMU) && existsSync(ARM64_LOADER), 'qemu-aarch64-static (Debian qemu-user-static) and the arm64 C library (libc6:arm64, libstdc++6:arm64)')
    root = mkdtempSync(join(tmpdir(), 'nmg-arm64-'))
    deb = await packageFile('agent-deb-arm64')
    execFileSync('/usr/bin/dpkg-deb', ['-x', deb, root])
  })

  const run = (args: string[], input = '') => spawnSync(QEMU, [join(root, 'usr/lib/nm-guard/node'), ...args], {encoding: 'utf8', input, timeout: 120_000})

  it('is an arm64 package whose wrapper runs the bundled runtime', function () {
    expect(execFileSync('/usr/bin/dpkg-deb', ['-f', deb, 'Architecture'], {encoding: 'utf8'}).trim()).to.equal('arm64')
    const wrapper = readFileSync(join(root, 'usr/bin/nm-guard'), 'utf8')
    expect(wrapper).to.include("echo 'nm-guard/").and.include(' linux-arm64 node-v20.20.2').and.match(/\nexec \/usr\/lib\/nm-guard\/node \/usr\/lib\/nm-guard\/app\/bin\/run\.js "\$@"\n$/)
    // ELF, e_machine 183 (EM_AARCH64).
    const header = readFileSync(join(root, 'usr/lib/nm-guard/node')).subarray(0, 20)
    expect(header.subarray(0, 4).toString('latin1')).to.equal('\x7fELF')
    expect(header.readUInt16LE(18)).to.equal(183)
  })

  it('its runtime prints the version (linux-arm64, Node 20)', function () {
    const version = run([join(root, 'usr/lib/nm-guard/app/bin/run.js'), '--version'])
    expect(version.status, version.stderr).to.equal(0)
    expect(version.stdout).to.match(/^nm-guard\/\d+\.\d+\.\d+ linux-arm64 node-v20\.20\.2\n$/)
    // The wrapper's own answer is the same line, without starting Node.
    const sh = spawnSync('/bin/sh', [join(root, 'usr/bin/nm-guard'), '--version'], {encoding: 'utf8'})
    expect(sh.stdout).to.equal(version.stdout)
  })

  it('judges a password and loads the arm64 keyring module', function () {
    const judged = run([join(root, 'usr/lib/nm-guard/app/bin/run.js'), 'password', 'check', '--stdin', '--json'], 'Zhangwei@0315\n')
    expect(judged.status, judged.stderr).to.equal(3)
    expect(judged.stdout).to.include('name-date')
    const keyring = run(['-e', `require(${JSON.stringify(join(root, 'usr/lib/nm-guard/app/node_modules/@napi-rs/keyring'))}); console.log('loaded')`])
    expect(keyring.stdout, keyring.stderr).to.equal('loaded\n')
  })
})
