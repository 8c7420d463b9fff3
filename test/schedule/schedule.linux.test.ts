import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {exec} from '../../src/os/spawn.js'
import {buildPlan, hostOffsetMinutes} from '../../src/schedule/plan.js'
import {CRON_BEGIN, CRON_END, cronLine, linuxScheduler, parseSystemctlShow, stripCronBlock, systemdLastRun, systemdService, systemdTimer, withCronBlock} from '../../src/schedule/schedule.linux.js'
import type {SchedulerEnv} from '../../src/schedule/types.js'
import {fakeExec} from '../helpers/fake-exec.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'

const plan = (time = '09:05', env: Record<string, string> = {}) =>
  buildPlan({binPath: '/opt/nm guard/bin/run.js', env, execPath: '/usr/bin/node', host: 'pc-0231', time})
const OFFSET = hostOffsetMinutes('pc-0231')
const at = (hour: number, minute: number) => {
  const total = hour * 60 + minute + OFFSET
  return {hour: Math.floor(total / 60) % 24, minute: total % 60}
}

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'nmg-sched-'))
}

function env(overrides: Partial<SchedulerEnv>): SchedulerEnv {
  return {admin: true, exec: fakeExec({}), fsRoot: tempRoot(), home: '/home/clerk', uid: 1000, ...overrides}
}

describe('schedule on Linux: systemd units', () => {
  it('generates the service and timer exactly', () => {
    const p = plan('09:05', {NMG_CONFIG_DIR: '/etc/nm "guard"', NMG_STATE_DIR: '/var/lib/nmg 100%'})
    expect(systemdService(p, true)).to.equal(
      [
        '# Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.',
        '[Unit]',
        'Description=nm-guard daily compliance audit and report',
        'Wants=network-online.target',
        'After=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        'Environment="NMG_STATE_DIR=/var/lib/nmg 100%%"',
        'Environment="NMG_CONFIG_DIR=/etc/nm \\"guard\\""',
        'ExecStart="/usr/bin/node" "/opt/nm guard/bin/run.js" "audit" "--report" "--scheduled"',
        '',
      ].join('\n'),
    )
    expect(systemdService(p, false)).not.to.include('network-online')
    expect(systemdTimer(p)).to.equal(
      [
        '# Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.',
        '[Unit]',
        'Description=Daily nm-guard audit and report',
        '',
        '[Timer]',
        'OnCalendar=*-*-* 09:05:00',
        'RandomizedDelaySec=30min',
        'FixedRandomDelay=true',
        'Persistent=true',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    )
  })

  it('passes systemd-analyze verify', function () {
    requirePart(this, hasCommand('systemd-analyze'), 'systemd-analyze (Debian package systemd)')
    const dir = tempRoot()
    // The real node and bin, so that verify's "is ExecStart executable" check means something.
    const p = buildPlan({env: {NMG_STATE_DIR: '/tmp/state $HOME 50%'}, time: '23:59'})
    writeFileSync(join(dir, 'nm-guard-audit.service'), systemdService(p, true))
    writeFileSync(join(dir, 'nm-guard-audit.timer'), systemdTimer(p))
    execFileSync('systemd-analyze', ['verify', '--man=no', join(dir, 'nm-guard-audit.timer'), join(dir, 'nm-guard-audit.service')], {stdio: 'pipe'})
  })

  it('escapes $ in ExecStart but not in Environment', () => {
    const p = {...plan(), command: ['/usr/bin/node', '/x/$HOME/run.js']}
    expect(systemdService(p, true)).to.include('ExecStart="/usr/bin/node" "/x/$$HOME/run.js"')
  })

  it('reads status from recorded systemctl show output', () => {
    expect(systemdLastRun(parseSystemctlShow('Result=success\nExecMainStatus=0\nExecMainExitTimestamp=\n'))).to.deep.equal({lastResult: null, lastRun: null})
    expect(systemdLastRun(parseSystemctlShow('Result=exit-code\nExecMainStatus=3\nExecMainExitTimestamp=Fri 2026-11-27 09:19:10 UTC\n'))).to.deep.equal({
      lastResult: 'exit-code (exit 3)',
      lastRun: 'Fri 2026-11-27 09:19:10 UTC',
    })
  })

  it('installs, reports, replaces and removes system units through systemctl', async () => {
    const root = tempRoot()
    mkdirSync(join(root, 'run/systemd/system'), {recursive: true})
    const fake = fakeExec({
      systemctl: '',
      'systemctl show nm-guard-audit.service -p Result,ExecMainStatus,ExecMainExitTimestamp': 'Result=exit-code\nExecMainStatus=3\nExecMainExitTimestamp=Fri 2026-11-27 09:19:10 UTC\n',
      'systemctl show nm-guard-audit.timer -p NextElapseUSecRealtime': 'NextElapseUSecRealtime=Sat 2026-11-28 09:17:43 UTC\n',
    })
    const s = linuxScheduler(env({exec: fake, fsRoot: root}))
    const timer = join(root, 'etc/systemd/system/nm-guard-audit.timer')
    expect(await s.install(plan('09:05'))).to.deep.equal({elevated: true, location: timer, mechanism: 'systemd', replaced: false, time: '09:05'})
    expect(fake.calls).to.deep.equal([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', 'nm-guard-audit.timer'],
      ['systemctl', 'restart', 'nm-guard-audit.timer'],
    ])
    expect(readFileSync(join(root, 'etc/systemd/system/nm-guard-audit.service'), 'utf8')).to.equal(systemdService(plan('09:05'), true))
    expect((await s.install(plan('10:00'))).replaced).to.equal(true)
    expect(readFileSync(timer, 'utf8')).to.include('OnCalendar=*-*-* 10:00:00')
    expect(await s.status()).to.deep.equal({
      installed: true,
      lastResult: 'exit-code (exit 3)',
      lastRun: 'Fri 2026-11-27 09:19:10 UTC',
      location: timer,
      mechanism: 'systemd',
      nextRun: 'Sat 2026-11-28 09:17:43 UTC',
      time: '10:00',
    })
    fake.calls.length = 0
    expect(await s.remove()).to.deep.equal({location: timer, mechanism: 'systemd', removed: true})
    expect(fake.calls).to.deep.equal([
      ['systemctl', 'disable', '--now', 'nm-guard-audit.timer'],
      ['systemctl', 'daemon-reload'],
    ])
    expect(existsSync(timer)).to.equal(false)
    expect((await s.remove()).removed).to.equal(false)
    expect((await s.status()).installed).to.equal(false)
  })

  it("sees the agent package's timer in the vendor folder, and leaves it to dpkg on remove", async () => {
    const root = tempRoot()
    mkdirSync(join(root, 'run/systemd/system'), {recursive: true})
    const vendor = join(root, 'lib/systemd/system/nm-guard-audit.timer')
    mkdirSync(join(root, 'lib/systemd/system'), {recursive: true})
    writeFileSync(vendor, systemdTimer(plan('12:30')))
    const fake = fakeExec({
      systemctl: '',
      'systemctl show nm-guard-audit.service -p Result,ExecMainStatus,ExecMainExitTimestamp': 'Result=success\nExecMainStatus=0\nExecMainExitTimestamp=\n',
      'systemctl show nm-guard-audit.timer -p NextElapseUSecRealtime': 'NextElapseUSecRealtime=Sat 2026-11-28 12:41:00 UTC\n',
    })
    const s = linuxScheduler(env({exec: fake, fsRoot: root}))
    expect(await s.status()).to.include({installed: true, location: vendor, nextRun: 'Sat 2026-11-28 12:41:00 UTC', time: '12:30'})
    expect((await s.remove()).removed).to.equal(false)
    expect(existsSync(vendor)).to.equal(true)
  })

  it('uses user units and systemctl --user when not root', async () => {
    const root = tempRoot()
    mkdirSync(join(root, 'run/systemd/system'), {recursive: true})
    const fake = fakeExec({systemctl: ''})
    const s = linuxScheduler(env({admin: false, exec: fake, fsRoot: root}))
    const outcome = await s.install(plan())
    expect(outcome.location).to.equal(join(root, 'home/clerk/.config/systemd/user/nm-guard-audit.timer'))
    expect(fake.calls[0]).to.deep.equal(['systemctl', '--user', 'daemon-reload'])
  })

  it('refuses clearly when systemctl fails', async () => {
    const root = tempRoot()
    mkdirSync(join(root, 'run/systemd/system'), {recursive: true})
    const s = linuxScheduler(env({exec: fakeExec({systemctl: {code: 1, stderr: 'Failed to connect to bus: No such file or directory\n'}}), fsRoot: root}))
    try {
      await s.install(plan())
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.command'})
      expect((error as {params: {detail: string}}).params.detail).to.equal('Failed to connect to bus: No such file or directory')
    }
  })
})

describe('schedule on Linux: cron', () => {
  it('generates cron lines with the per-host offset, shell quoting and % escaped', () => {
    const {hour, minute} = at(9, 5)
    expect(cronLine(plan('09:05', {NMG_STATE_DIR: "/srv/it's 100%"}), 'root')).to.equal(
      `${minute} ${hour} * * * root NMG_STATE_DIR='/srv/it'\\''s 100\\%' '/usr/bin/node' '/opt/nm guard/bin/run.js' 'audit' '--report' '--scheduled' >/dev/null`,
    )
  })

  it('keeps the rest of a crontab byte for byte', () => {
    const other = 'MAILTO=ops@example.cn\n0 3 * * * /usr/local/bin/backup\n'
    const once = withCronBlock(other, plan('09:05'))
    expect(once).to.equal(`${other}${CRON_BEGIN}\n${cronLine(plan('09:05'))}\n${CRON_END}\n`)
    expect(withCronBlock(once, plan('10:00'))).to.equal(`${other}${CRON_BEGIN}\n${cronLine(plan('10:00'))}\n${CRON_END}\n`)
    expect(stripCronBlock(once)).to.equal(other)
  })

  it('writes, replaces and removes /etc/cron.d/nm-guard as root without systemd', async () => {
    const root = tempRoot()
    mkdirSync(join(root, 'etc/cron.d'), {recursive: true})
    const s = linuxScheduler(env({fsRoot: root}))
    const file = join(root, 'etc/cron.d/nm-guard')
    const {hour, minute} = at(9, 5)
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
    expect(await s.status()).to.deep.equal({installed: false, lastResult: null, lastRun: null, location: file, mechanism: 'cron', nextRun: null, time: null})
    expect(await s.install(plan('09:05'))).to.deep.equal({elevated: true, location: file, mechanism: 'cron', replaced: false, time})
    expect(statSync(file).mode & 0o777).to.equal(0o644)
    expect(readFileSync(file, 'utf8')).to.equal(
      [
        '# Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.',
        'SHELL=/bin/sh',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        `${minute} ${hour} * * * root '/usr/bin/node' '/opt/nm guard/bin/run.js' 'audit' '--report' '--scheduled' >/dev/null`,
        '',
      ].join('\n'),
    )
    expect(await s.status()).to.deep.equal({installed: true, lastResult: null, lastRun: null, location: file, mechanism: 'cron', nextRun: null, time})
    expect((await s.install(plan('09:05'))).replaced).to.equal(true)
    expect(await s.remove()).to.deep.equal({location: file, mechanism: 'cron', removed: true})
    expect(existsSync(file)).to.equal(false)
    expect(await s.remove()).to.deep.equal({location: file, mechanism: 'cron', removed: false})
  })

  it('says cron is missing when /etc/cron.d does not exist', async () => {
    const s = linuxScheduler(env({fsRoot: tempRoot()}))
    try {
      await s.install(plan())
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.noCron'})
    }
  })

  describe('through the real crontab', () => {
    let backup: string | null = null

    before(function () {
      requirePart(this, hasCommand('crontab'), 'crontab (Debian package cron)')
      requirePart(this, isRoot(), 'root, to back up and restore its crontab')
      try {
        backup = execFileSync('crontab', ['-l'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
      } catch {
        backup = null
      }
    })

    after(function () {
      if (!hasCommand('crontab') || !isRoot()) return
      if (backup === null) execFileSync('sh', ['-c', 'crontab -r 2>/dev/null || true'])
      else execFileSync('crontab', ['-'], {input: backup})
    })

    it('installs, reports, replaces and removes its block, keeping the other lines', async () => {
      const other = '# a line nm-guard must keep\n17 4 * * * /bin/true\n'
      execFileSync('crontab', ['-'], {input: other})
      // Not admin: the user-crontab path, with the real crontab binary.
      const s = linuxScheduler({admin: false, exec, fsRoot: tempRoot(), home: '/root', uid: 0})
      const crontab = () => execFileSync('crontab', ['-l'], {encoding: 'utf8'})
      expect((await s.status()).installed).to.equal(false)
      const first = await s.install(plan('09:05'))
      expect(first).to.include({location: 'crontab', mechanism: 'cron', replaced: false})
      expect(crontab()).to.equal(`${other}${CRON_BEGIN}\n${cronLine(plan('09:05'))}\n${CRON_END}\n`)
      expect(await s.status()).to.deep.equal({installed: true, lastResult: null, lastRun: null, location: 'crontab', mechanism: 'cron', nextRun: null, time: first.time})
      const second = await s.install(plan('22:40'))
      expect(second.replaced).to.equal(true)
      expect(crontab().split(CRON_BEGIN)).to.have.length(2)
      expect((await s.status()).time).to.equal(second.time)
      expect((await s.remove()).removed).to.equal(true)
      expect(crontab()).to.equal(other)
      expect((await s.remove()).removed).to.equal(false)
    })

    it('treats "no crontab" as empty and can start one', async () => {
      execFileSync('sh', ['-c', 'crontab -r 2>/dev/null || true'])
      const s = linuxScheduler({admin: false, exec, fsRoot: tempRoot(), home: '/root', uid: 0})
      expect((await s.remove()).removed).to.equal(false)
      await s.install(plan('06:00'))
      expect(execFileSync('crontab', ['-l'], {encoding: 'utf8'})).to.equal(`${CRON_BEGIN}\n${cronLine(plan('06:00'))}\n${CRON_END}\n`)
      await s.remove()
    })
  })
})
