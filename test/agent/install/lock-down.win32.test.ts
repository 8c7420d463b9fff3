// The icacls runs that take %ProgramData%\nm-guard over before a token is written into it.
import {expect} from 'chai'

import {lockDown, lockDownCommands} from '../../../src/agent/install/lock-down.win32.js'
import {FactError} from '../../../src/os/fact-error.js'
import {fakeExec} from '../../helpers/fake-exec.js'

const STATE = 'C:\\ProgramData\\nm-guard'
const AGENT = 'C:\\ProgramData\\nm-guard\\agent'
const SYSTEM = '*S-1-5-18'
const ADMINS = '*S-1-5-32-544'
const USERS = '*S-1-5-32-545'

const EXPECTED = [
  ['icacls', STATE, '/setowner', ADMINS, '/T', '/C', '/Q'],
  ['icacls', STATE, '/reset', '/T', '/C', '/Q'],
  ['icacls', STATE, '/inheritance:r', '/grant:r', `${SYSTEM}:(OI)(CI)F`, `${ADMINS}:(OI)(CI)F`, `${USERS}:(OI)(CI)RX`, '/C', '/Q'],
  ['icacls', AGENT, '/inheritance:r', '/grant:r', `${SYSTEM}:(OI)(CI)F`, `${ADMINS}:(OI)(CI)F`, '/C', '/Q'],
]

describe('Windows state folder lock-down', () => {
  it('owns, resets, then grants by SID: the state folder first, the agent folder last', () => {
    expect(lockDownCommands(STATE)).to.deep.equal(EXPECTED)
  })

  it('names accounts by SID only (the same words on a Chinese Windows)', () => {
    const words = lockDownCommands(STATE).flat().join(' ')
    expect(words).to.not.match(/\b(SYSTEM|Administrators|Users|BUILTIN|Everyone)\b/)
    expect(words).to.not.match(/管理员|用户/)
    // The agent folder (identity, agent.conf) grants nothing to Users.
    expect(lockDownCommands(STATE)[3]?.join(' ')).to.not.include('S-1-5-32-545')
  })

  it('runs every step in order and reports none when all succeed', async () => {
    const exec = fakeExec({icacls: ''})
    expect(await lockDown(exec, STATE)).to.deep.equal([])
    expect(exec.calls).to.deep.equal(EXPECTED)
  })

  it('reports a step that exits non-zero and still runs the rest', async () => {
    const exec = fakeExec({[`icacls ${STATE} /reset /T /C /Q`]: {code: 5, stderr: 'Access is denied.'}, icacls: ''})
    const failures = await lockDown(exec, STATE)
    expect(failures).to.deep.equal([`icacls ${STATE} /reset: exit 5`])
    expect(exec.calls).to.deep.equal(EXPECTED)
  })

  it('reports a step that cannot run at all (timed out) and still runs the rest', async () => {
    const exec = fakeExec({[`icacls ${STATE} /setowner ${ADMINS} /T /C /Q`]: new FactError('timeout', 'icacls timed out after 60000 ms'), icacls: ''})
    const failures = await lockDown(exec, STATE)
    expect(failures).to.have.length(1)
    expect(failures[0]).to.include(`icacls ${STATE} /setowner`).and.include('timed out')
    expect(exec.calls).to.deep.equal(EXPECTED)
  })
})
