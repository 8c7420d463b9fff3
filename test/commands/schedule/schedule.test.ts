// The real CLI on this Linux machine, as root without systemd: /etc/cron.d under an injected root.
import {existsSync, mkdirSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {appendFailure, failureLine} from '../../../src/schedule/failure-log.js'
import {isRoot, requirePart} from '../../helpers/require-part.js'
import {runCli} from '../../helpers/run-cli.js'

describe('nm-guard schedule', () => {
  let root: string
  let env: Record<string, string>

  beforeEach(function () {
    requirePart(this, isRoot(), 'root (the /etc/cron.d path of `schedule`)')
    root = mkdtempSync(join(tmpdir(), 'nmg-sched-cli-'))
    mkdirSync(join(root, 'etc/cron.d'), {recursive: true})
    env = {NMG_CONFIG_DIR: join(root, 'config'), NMG_SCHEDULE_ROOT: root, NMG_STATE_DIR: join(root, 'state')}
  })

  it('installs, reports, re-installs, removes, and removes again with exit 0', async () => {
    const file = join(root, 'etc/cron.d/nm-guard')
    const first = await runCli(['schedule', 'install', '--time', '07:45', '--json'], {env})
    expect(first.code, first.stderr).to.equal(0)
    const installed = JSON.parse(first.stdout)
    expect(installed.result).to.include({elevated: true, location: file, mechanism: 'cron', replaced: false})
    expect(installed.warnings).to.deep.equal([])
    const line = readFileSync(file, 'utf8').split('\n')[3] ?? ''
    // The scheduled command: this node, this package's bin, and the state and config dirs passed through.
    expect(line, line).to.include(` root NMG_STATE_DIR='${join(root, 'state')}' NMG_CONFIG_DIR='${join(root, 'config')}' '${process.execPath}' '`)
    expect(line).to.match(/bin\/run\.js' 'audit' '--report' '--scheduled' >\/dev\/null$/)

    const status = await runCli(['schedule', 'status', '--json'], {env})
    expect(status.code).to.equal(0)
    expect(JSON.parse(status.stdout).result).to.deep.equal({installed: true, lastFailure: null, lastResult: null, lastRun: null, location: file, mechanism: 'cron', nextRun: null, time: installed.result.time})

    const again = await runCli(['schedule', 'install', '--time', '07:45'], {env})
    expect(again.code).to.equal(0)
    expect(again.stdout).to.match(/^Daily audit schedule replaced: cron, every day at \d\d:\d\d/)

    const text = await runCli(['schedule', 'status', '--lang', 'zh-CN'], {env})
    expect(text.stdout).to.include('已设置: 是').and.include(`时间: ${installed.result.time}`)

    const removed = await runCli(['schedule', 'remove'], {env})
    expect(removed.code).to.equal(0)
    expect(removed.stdout).to.include('Daily audit schedule removed')
    expect(existsSync(file)).to.equal(false)

    const none = await runCli(['schedule', 'remove', '--json'], {env})
    expect(none.code).to.equal(0)
    expect(JSON.parse(none.stdout).result).to.deep.equal({location: file, mechanism: 'cron', removed: false})
    const noneText = await runCli(['schedule', 'remove'], {env})
    expect(noneText.stdout.trim()).to.equal(`No daily audit schedule is installed (cron, ${file}): nothing to remove`)
  })

  it('shows the time and the last failed run in the PC\'s time zone, named; --json keeps them as stored', async () => {
    const shanghai = {...env, TZ: 'Asia/Shanghai'}
    expect((await runCli(['schedule', 'install', '--time', '07:45'], {env: shanghai})).code).to.equal(0)
    appendFailure(join(root, 'state'), failureLine(new Date('2026-11-27T05:00:00.000Z'), 4, 'collector unreachable'))
    const text = await runCli(['schedule', 'status'], {env: shanghai})
    expect(text.code, text.stderr).to.equal(0)
    expect(text.stdout).to.match(/^Time: \d\d:\d\d \(Asia\/Shanghai, UTC\+08:00\)$/m)
    expect(text.stdout).to.include('Last failed run: 2026-11-27 13:00 (Asia/Shanghai, UTC+08:00)  exit 4  collector unreachable')
    const json = JSON.parse((await runCli(['schedule', 'status', '--json'], {env: shanghai})).stdout) as {result: {lastFailure: string; time: string}}
    expect(json.result.lastFailure).to.equal('2026-11-27T05:00:00.000Z\texit 4\tcollector unreachable')
    expect(json.result.time).to.match(/^\d\d:\d\d$/)
  })

  it('refuses a bad --time with exit 2 and one line, writing nothing', async () => {
    const r = await runCli(['schedule', 'install', '--time', '24:00'], {env})
    expect(r.code).to.equal(2)
    expect(r.stderr.trim()).to.equal('nm-guard: --time must be HH:MM between 00:00 and 23:59, not "24:00"')
    expect(existsSync(join(root, 'etc/cron.d/nm-guard'))).to.equal(false)
  })

  it('fails with exit 1 and a clear line when cron is not installed', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'nmg-sched-cli-'))
    const r = await runCli(['schedule', 'install'], {env: {NMG_SCHEDULE_ROOT: bare}})
    expect(r.code).to.equal(1)
    expect(r.stderr.trim()).to.equal(`nm-guard: ${join(bare, 'etc/cron.d')} does not exist and systemd is not running: install cron (Debian package cron)`)
  })
})
