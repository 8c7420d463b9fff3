import {chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {appendFailure, failureLine, failureLogPath, MAX_LINES, MAX_MESSAGE, newestFailure, readFailureLines, redact} from '../../src/schedule/failure-log.js'
import {isRoot, requirePart} from '../helpers/require-part.js'

const AT = new Date('2026-11-27T04:30:00.000Z')
const temp = (): string => mkdtempSync(join(tmpdir(), 'nmg-failures-'))

describe('schedule failure log', () => {
  it('makes one tab-separated line: ISO time, exit code, the first line of the message', () => {
    expect(failureLine(AT, 1, '\nnm-guard is not enrolled: run `nm-guard enroll` first\n    at stack (x.js:1)')).to.equal(
      '2026-11-27T04:30:00.000Z\texit 1\tnm-guard is not enrolled: run `nm-guard enroll` first',
    )
    expect(failureLine(AT, 4, '')).to.equal('2026-11-27T04:30:00.000Z\texit 4\t(no message)')
    expect(failureLine(AT, 1, 'a\tb\u0007c')).to.equal('2026-11-27T04:30:00.000Z\texit 1\ta b c')
    const long = failureLine(AT, 1, 'x'.repeat(5000))
    expect(long.split('\t')[2]).to.have.length(MAX_MESSAGE)
    expect(long.endsWith('…')).to.equal(true)
  })

  it('keeps no secret a message may carry', () => {
    expect(redact('POST https://agent:s3cr3t@collector.example.cn/api failed')).to.equal('POST https://***@collector.example.cn/api failed')
    // A value ends at white space or &: a comma may be part of a password, so it goes too.
    expect(redact('bad request ?token=abc123&x=1, password: hunter2, 密码：一二三')).to.equal('bad request ?token=***&x=1, password: *** 密码：***')
    expect(failureLine(AT, 1, 'enroll --token=abcdef failed')).to.equal('2026-11-27T04:30:00.000Z\texit 1\tenroll --token=*** failed')
  })

  it('appends, keeps the newest lines only, and reads the newest back', () => {
    const state = join(temp(), 'state')
    expect(newestFailure(state)).to.equal(null)
    for (let i = 0; i < MAX_LINES + 5; i++) appendFailure(state, `line ${i}`)
    const lines = readFailureLines(state)
    expect(lines).to.have.length(MAX_LINES)
    expect(lines[0]).to.equal('line 5')
    expect(newestFailure(state)).to.equal(`line ${MAX_LINES + 4}`)
    expect(readFileSync(failureLogPath(state), 'utf8').endsWith(`line ${MAX_LINES + 4}\n`)).to.equal(true)
  })

  it('never writes through a link: not the schedule folder, not the log', () => {
    const root = temp()
    const outside = join(root, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'victim'), 'keep me\n')

    const linkedDir = join(root, 'state-a')
    mkdirSync(linkedDir)
    symlinkSync(outside, join(linkedDir, 'schedule'))
    expect(() => appendFailure(linkedDir, 'x')).to.throw(UserError).with.property('key', 'os.unsafeFolder')

    const linkedFile = join(root, 'state-b')
    mkdirSync(join(linkedFile, 'schedule'), {recursive: true})
    symlinkSync(join(outside, 'victim'), failureLogPath(linkedFile))
    // A link in the log's place is neither read nor written through: it is replaced by a file.
    expect(readFailureLines(linkedFile)).to.deep.equal([])
    appendFailure(linkedFile, 'one line')
    expect(readFileSync(join(outside, 'victim'), 'utf8')).to.equal('keep me\n')
    expect(lstatSync(failureLogPath(linkedFile)).isFile()).to.equal(true)
    expect(readFailureLines(linkedFile)).to.deep.equal(['one line'])
  })
  it('as root, refuses a schedule folder a user owns or may write (#11 2.1), writing nothing there', function () {
    requirePart(this, isRoot(), 'running as root')
    const state = temp()
    chmodSync(state, 0o755)
    const schedule = join(state, 'schedule')
    mkdirSync(schedule)
    chownSync(schedule, 65_534, 65_534)
    expect(() => appendFailure(state, 'x')).to.throw(UserError).with.property('key', 'os.unsafeFolder')
    chownSync(schedule, 0, 0)
    chmodSync(schedule, 0o777)
    expect(() => appendFailure(state, 'x')).to.throw(UserError).with.property('key', 'os.unsafeFolder')
    expect(readdirSync(schedule)).to.deep.equal([])
  })

})
