import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseScreenLock} from '../../../src/facts/screen-lock/screen-lock.win32.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('screen_lock (win32)', () => {
  it('reads the machine inactivity limit and each loaded user hive', () => {
    expect(parseScreenLock(psFixture('screen-lock.json'))).to.deep.equal([
      {enabled: true, sid: null, source: 'policy', timeout_seconds: 900, user: null},
      {enabled: true, sid: 'S-1-5-21-3623811015-3361044348-30300820-1001', source: 'registry', timeout_seconds: 300, user: 'xmt'},
      // Group policy makes 张伟's screen saver secure with a program and a 10-minute timeout.
      {enabled: true, sid: 'S-1-5-21-3623811015-3361044348-30300820-1002', source: 'policy', timeout_seconds: 600, user: '张伟'},
      // Windows' default: "active" with a timeout, but no screen saver chosen and not secure.
      {enabled: false, sid: 'S-1-12-1-2011645830-1180387946-2316338590-3851571364', source: 'registry', timeout_seconds: 900, user: 'S-1-12-1-2011645830-1180387946-2316338590-3851571364'},
    ])
  })

  it('reports the machine limit as off when it is not set', () => {
    expect(parseScreenLock([{machine: null, users: null}])).to.deep.equal([{enabled: false, sid: null, source: 'policy', timeout_seconds: null, user: null}])
  })

  it('collects through the batch', async () => {
    const ctx = winContext({screen_lock: psFixture('screen-lock.json')})
    expect(await collect(ctx)).to.have.length(4)
    expect(ctx.scripts()[0]).to.contain('InactivityTimeoutSecs')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({screen_lock: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
