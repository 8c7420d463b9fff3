import {expect} from 'chai'

import {isAdmin, tokenIsElevated} from '../../src/os/is-admin.js'
import {decodeText} from '../../src/os/decode-text.js'
import {fakeExec, fixture, fixtureBytes} from '../helpers/fake-exec.js'

describe('administrator check', () => {
  it('reads the token’s integrity label from whoami, in any language', () => {
    expect(tokenIsElevated(decodeText(fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')))).to.equal(true)
    expect(tokenIsElevated(fixture('win32/os/whoami-groups-elevated-zh.csv'))).to.equal(true)
    expect(tokenIsElevated(fixture('win32/os/whoami-groups-system-en.csv'))).to.equal(true)
    // An administrator's filtered (UAC) token: Administrators is deny-only and the label is Medium.
    expect(tokenIsElevated(fixture('win32/os/whoami-groups-filtered-zh.csv'))).to.equal(false)
    expect(tokenIsElevated('')).to.equal(false)
  })

  it('asks whoami.exe, not `net session` (which fails whenever the Server service is off)', async () => {
    const exec = fakeExec({whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}})
    expect(await isAdmin('win32', exec)).to.equal(true)
    expect(exec.calls).to.deep.equal([['whoami', '/groups', '/fo', 'csv', '/nh']])
    expect(await isAdmin('win32', fakeExec({whoami: {code: 1, stdout: ''}}))).to.equal(false)
    expect(await isAdmin('win32', fakeExec({}))).to.equal(false)
  })

  it('is root on Linux and macOS', async () => {
    const root = typeof process.getuid === 'function' && process.getuid() === 0
    expect(await isAdmin('linux', fakeExec({}))).to.equal(root)
  })
})
