import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {
  collect,
  parseConsoleUser,
  parseDisplaySleep,
  parseIdleTime,
  parseScreenLockStatus,
  screenLockRow,
} from '../../../src/facts/screen-lock/screen-lock.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const STAT = '/usr/bin/stat -f %Su %u /dev/console'
const SYSADMINCTL = '/usr/sbin/sysadminctl -screenLock status'
const IDLE = '/usr/bin/defaults -currentHost read com.apple.screensaver idleTime'
const AS_USER = '/bin/launchctl asuser 501 /usr/bin/sudo -n -u zhangwei'

describe('screen_lock on darwin', () => {
  it('parses sysadminctl -screenLock status from stderr', () => {
    expect(parseScreenLockStatus(fixture('darwin/sysadminctl-screenlock-300.stderr.txt'))).to.deep.equal({off: false, seconds: 300})
    expect(parseScreenLockStatus(fixture('darwin/sysadminctl-screenlock-immediate.stderr.txt'))).to.deep.equal({off: false, seconds: 0})
    expect(parseScreenLockStatus(fixture('darwin/sysadminctl-screenlock-off.stderr.txt'))).to.deep.equal({off: true})
    expect(parseScreenLockStatus('screenLock delay is -1.000000 seconds')).to.deep.equal({off: true})
    expect(parseScreenLockStatus('sysadminctl: unrecognized option')).to.equal(null)
  })

  it('parses the idle triggers and the console user', () => {
    expect(parseIdleTime(fixture('darwin/defaults-idletime.txt'))).to.equal(600)
    expect(parseIdleTime(fixture('darwin/defaults-idletime-missing.stderr.txt'))).to.equal(null)
    expect(parseDisplaySleep(fixture('darwin/pmset-g.txt'))).to.equal(10)
    expect(parseDisplaySleep(fixture('darwin/pmset-g-never.txt'))).to.equal(0)
    expect(parseConsoleUser(fixture('darwin/stat-console.txt'))).to.deep.equal({name: 'zhangwei', uid: 501})
  })

  it('locks at the first idle trigger plus the delay', () => {
    expect(screenLockRow({delay: {off: false, seconds: 5}, displaySleepMinutes: 10, idleSeconds: 300, user: 'zhangwei'})).to.deep.equal({
      enabled: true,
      lock_delay_seconds: 5,
      source: 'sysadminctl',
      timeout_seconds: 305,
      user: 'zhangwei',
    })
    expect(screenLockRow({delay: {off: false, seconds: 0}, displaySleepMinutes: 10, idleSeconds: null, user: 'u'})).to.include({enabled: true, timeout_seconds: 600})
  })

  it('is off when no password is asked or nothing ever starts on idle', () => {
    expect(screenLockRow({delay: {off: true}, displaySleepMinutes: 10, idleSeconds: 300, user: 'u'})).to.include({enabled: false, timeout_seconds: null})
    expect(screenLockRow({delay: {off: false, seconds: 0}, displaySleepMinutes: 0, idleSeconds: 0, user: 'u'})).to.include({enabled: false, timeout_seconds: null})
    expect(screenLockRow({delay: {off: false, seconds: 0}, displaySleepMinutes: 0, idleSeconds: null, user: 'u'})).to.include({enabled: null, timeout_seconds: null})
  })

  it('as root, reads the console user\'s settings in that user\'s session', async () => {
    const exec = fakeExec({
      [`${AS_USER} ${IDLE}`]: fixture('darwin/defaults-idletime.txt'),
      [`${AS_USER} ${SYSADMINCTL}`]: {stderr: fixture('darwin/sysadminctl-screenlock-300.stderr.txt')},
      [STAT]: fixture('darwin/stat-console.txt'),
      '/usr/bin/pmset -g': fixture('darwin/pmset-g.txt'),
    })
    const rows = await collect(testContext('darwin', {env: {USER: 'root'}, exec}))
    expect(rows).to.deep.equal([{enabled: true, lock_delay_seconds: 300, source: 'sysadminctl', timeout_seconds: 900, user: 'zhangwei'}])
  })

  it('as the user, runs the tools directly', async () => {
    const exec = fakeExec({
      [IDLE]: {code: 1, stderr: fixture('darwin/defaults-idletime-missing.stderr.txt')},
      [SYSADMINCTL]: {stderr: fixture('darwin/sysadminctl-screenlock-immediate.stderr.txt')},
      [STAT]: fixture('darwin/stat-console.txt'),
      '/usr/bin/pmset -g': fixture('darwin/pmset-g.txt'),
    })
    const rows = await collect(testContext('darwin', {env: {USER: 'zhangwei'}, exec, isAdmin: async () => false}))
    expect(rows).to.deep.equal([{enabled: true, lock_delay_seconds: 0, source: 'sysadminctl', timeout_seconds: 600, user: 'zhangwei'}])
    expect(exec.calls.every((c) => c[0] !== '/bin/launchctl')).to.equal(true)
  })

  it('reports a screen lock that is switched off', async () => {
    const exec = fakeExec({
      [IDLE]: fixture('darwin/defaults-idletime.txt'),
      [SYSADMINCTL]: {stderr: fixture('darwin/sysadminctl-screenlock-off.stderr.txt')},
      [STAT]: fixture('darwin/stat-console-loginwindow.txt'),
      '/usr/bin/pmset -g': fixture('darwin/pmset-g.txt'),
    })
    const rows = await collect(testContext('darwin', {env: {USER: 'root'}, exec}))
    expect(rows).to.deep.equal([{enabled: false, lock_delay_seconds: null, source: 'sysadminctl', timeout_seconds: null, user: 'root'}])
  })

  it('throws with the reason when sysadminctl cannot tell', async () => {
    const exec = fakeExec({
      [IDLE]: fixture('darwin/defaults-idletime.txt'),
      [SYSADMINCTL]: {code: 1, stderr: '2026-11-27 16:00:01.234 sysadminctl[4821:118734] Operation not permitted\n'},
      [STAT]: fixture('darwin/stat-console.txt'),
    })
    const error = await collect(testContext('darwin', {exec, isAdmin: async () => false})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('permission')
    const missing = await collect(testContext('darwin', {exec: fakeExec({}), isAdmin: async () => false})).catch((e: unknown) => e)
    expect((missing as FactError).kind).to.equal('missing_tool')
  })
})
