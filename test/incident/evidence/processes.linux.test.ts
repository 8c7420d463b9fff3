import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {scanLinuxProcesses} from '../../../src/incident/evidence/processes.linux.js'
import {requirePart} from '../../helpers/require-part.js'
import {useTempDir} from './evidence-helpers.js'

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

describe('Linux processes with executable hashes', () => {
  const tmp = useTempDir('ev-proc')

  function proc(pid: number, exe: null | string, cmdline: string, uid = 0): void {
    const dir = join(tmp.path, 'proc', String(pid))
    mkdirSync(dir, {recursive: true})
    if (exe) symlinkSync(exe, join(dir, 'exe'))
    writeFileSync(join(dir, 'comm'), `p${pid}\n`)
    writeFileSync(join(dir, 'cmdline'), cmdline)
    writeFileSync(join(dir, 'status'), `Name:\tp${pid}\nPPid:\t1\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`)
  }

  it('hashes each executable once, marks kernel threads, and stops at the byte budget', async () => {
    const small = join(tmp.path, 'small')
    const big = join(tmp.path, 'big')
    writeFileSync(small, 'small binary')
    writeFileSync(big, Buffer.alloc(4096, 1))
    proc(2, null, '')
    proc(10, small, 'small\0--a\0')
    proc(11, small, 'small\0')
    proc(12, big, 'big\0', 1000)
    writeFileSync(join(tmp.path, 'proc', 'self'), 'not a pid dir')
    const scan = await scanLinuxProcesses({maxBytes: 1000, procRoot: join(tmp.path, 'proc')})
    expect(scan.processes.map((p) => [p.pid, p.sha256, p.note ?? null])).to.deep.equal([
      [2, null, 'kernel thread'],
      [10, sha('small binary'), null],
      [11, sha('small binary'), null],
      [12, null, 'not hashed: byte budget reached'],
    ])
    expect(scan).to.include({hashed_bytes: 12, hashed_files: 1, truncated: true})
    expect(scan.processes[1]).to.include({cmdline: 'small --a', comm: 'p10', exe: small, ppid: 1, uid: 0})
    expect(scan.processes[3]?.uid).to.equal(1000)
  })

  it('stops hashing at the time budget but still lists every process', async () => {
    writeFileSync(join(tmp.path, 'a'), 'a')
    proc(10, join(tmp.path, 'a'), 'a\0')
    const scan = await scanLinuxProcesses({deadline: Date.now() - 1, procRoot: join(tmp.path, 'proc')})
    expect(scan.processes).to.have.length(1)
    expect(scan.processes[0]).to.include({note: 'not hashed: time budget reached', sha256: null})
    expect(scan.truncated).to.equal(true)
  })

  it('records the right hash for this test process from the real /proc', async function () {
    requirePart(this, process.platform === 'linux', 'Linux /proc')
    const scan = await scanLinuxProcesses()
    const self = scan.processes.find((p) => p.pid === process.pid)
    expect(self?.exe).to.equal(realpathSync(process.execPath))
    expect(self?.sha256).to.equal(sha(readFileSync(process.execPath)))
    expect(self?.uid).to.equal(process.getuid?.())
    expect(self?.cmdline).to.contain(process.argv[1]?.split('/').pop() ?? 'mocha')
  })
})
