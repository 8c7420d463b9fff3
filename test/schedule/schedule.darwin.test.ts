import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildPlan, hostOffsetMinutes, shiftTime} from '../../src/schedule/plan.js'
import {bootoutArgs, bootstrapArgs, darwinScheduler, LABEL, launchdPlist, parseLaunchctlPrint, printArgs, timeFromPlist} from '../../src/schedule/schedule.darwin.js'
import {fakeExec, fixture} from '../helpers/fake-exec.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'

const plan = (time = '09:05', env: Record<string, string> = {}) =>
  buildPlan({binPath: '/usr/local/lib/node_modules/nm-guard/bin/run.js', env, execPath: '/usr/local/bin/node', host: 'mac-07', time})
const AT = shiftTime({hour: 9, minute: 5}, hostOffsetMinutes('mac-07'))

/** Python's plistlib: a real plist (XML) parser, as a stand-in for plutil off macOS. */
function parsePlist(path: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))', path], {encoding: 'utf8'}))
}

describe('schedule on macOS (launchd)', () => {
  it('generates a plist that a real plist parser reads back as meant', function () {
    const hasPlutil = hasCommand('plutil')
    requirePart(this, hasPlutil || hasCommand('python3'), 'plutil (macOS) or python3 (Debian package python3), to parse the plist')
    const file = join(mkdtempSync(join(tmpdir(), 'nmg-plist-')), `${LABEL}.plist`)
    writeFileSync(file, launchdPlist(plan('09:05', {NMG_CONFIG_DIR: '/etc/<nm> & "guard"', NMG_STATE_DIR: '/var/nmg'})))
    if (hasPlutil) execFileSync('plutil', ['-lint', file])
    if (!hasCommand('python3')) return
    expect(parsePlist(file)).to.deep.equal({
      EnvironmentVariables: {NMG_CONFIG_DIR: '/etc/<nm> & "guard"', NMG_STATE_DIR: '/var/nmg'},
      Label: LABEL,
      ProcessType: 'Background',
      ProgramArguments: ['/usr/local/bin/node', '/usr/local/lib/node_modules/nm-guard/bin/run.js', 'audit', '--report', '--scheduled'],
      StandardOutPath: '/dev/null',
      StartCalendarInterval: {Hour: AT.hour, Minute: AT.minute},
    })
  })

  it('leaves EnvironmentVariables out when nothing is passed through', () => {
    const text = launchdPlist(plan())
    expect(text).not.to.include('EnvironmentVariables')
    expect(text).to.include(`\t\t<key>Hour</key>\n\t\t<integer>${AT.hour}</integer>\n\t\t<key>Minute</key>\n\t\t<integer>${AT.minute}</integer>`)
    expect(timeFromPlist(text)).to.equal(`${String(AT.hour).padStart(2, '0')}:${String(AT.minute).padStart(2, '0')}`)
  })

  it('runs the exact launchctl commands', () => {
    expect(bootstrapArgs('system', `/Library/LaunchDaemons/${LABEL}.plist`)).to.deep.equal(['bootstrap', 'system', `/Library/LaunchDaemons/${LABEL}.plist`])
    expect(bootoutArgs('gui/501')).to.deep.equal(['bootout', `gui/501/${LABEL}`])
    expect(printArgs('system')).to.deep.equal(['print', `system/${LABEL}`])
  })

  it('reads recorded launchctl print output', () => {
    expect(parseLaunchctlPrint(fixture('darwin/schedule/launchctl-print-ran.txt'))).to.deep.equal({lastResult: 'exit 1', time: '13:41'})
    expect(parseLaunchctlPrint(fixture('darwin/schedule/launchctl-print-never-run.txt'))).to.deep.equal({lastResult: null, time: '13:41'})
  })

  it('installs a LaunchDaemon as root, replaces it, reports and removes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-mac-'))
    const fake = fakeExec({launchctl: '', [`launchctl print system/${LABEL}`]: fixture('darwin/schedule/launchctl-print-ran.txt')})
    const s = darwinScheduler({admin: true, exec: fake, fsRoot: root, home: '/Users/li', uid: 0})
    const path = join(root, `Library/LaunchDaemons/${LABEL}.plist`)
    const outcome = await s.install(plan())
    expect(outcome).to.include({location: path, mechanism: 'launchd', replaced: false})
    expect(fake.calls).to.deep.equal([['launchctl', 'bootstrap', 'system', path]])
    expect(readFileSync(path, 'utf8')).to.equal(launchdPlist(plan()))
    expect((await s.install(plan('10:00'))).replaced).to.equal(true)
    expect(fake.calls.slice(1)).to.deep.equal([['launchctl', 'bootout', `system/${LABEL}`], ['launchctl', 'bootstrap', 'system', path]])
    expect(await s.status()).to.deep.equal({installed: true, lastResult: 'exit 1', lastRun: null, location: path, mechanism: 'launchd', nextRun: null, time: '13:41'})
    expect(await s.remove()).to.deep.equal({location: path, mechanism: 'launchd', removed: true})
    expect(existsSync(path)).to.equal(false)
    expect(await s.remove()).to.deep.equal({location: path, mechanism: 'launchd', removed: false})
    expect((await s.status()).installed).to.equal(false)
  })

  it('installs a LaunchAgent in the gui domain for a user, and reads the time from the plist when not loaded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-mac-'))
    const fake = fakeExec({launchctl: '', [`launchctl print gui/501/${LABEL}`]: {code: 113, stderr: 'Could not find service'}})
    const s = darwinScheduler({admin: false, exec: fake, fsRoot: root, home: '/Users/li', uid: 501})
    const path = join(root, `Users/li/Library/LaunchAgents/${LABEL}.plist`)
    await s.install(plan())
    expect(fake.calls).to.deep.equal([['launchctl', 'bootstrap', 'gui/501', path]])
    expect(await s.status()).to.include({installed: true, lastResult: null, time: timeFromPlist(launchdPlist(plan()))})
  })

  it('says so when bootstrap fails', async () => {
    const s = darwinScheduler({admin: true, exec: fakeExec({launchctl: {code: 5, stderr: 'Bootstrap failed: 5: Input/output error\n'}}), fsRoot: mkdtempSync(join(tmpdir(), 'nmg-mac-')), home: '/Users/li', uid: 0})
    try {
      await s.install(plan())
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.command'})
    }
  })
})
