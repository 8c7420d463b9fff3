import {spawnSync} from 'node:child_process'

import {expect} from 'chai'

import {formatClockTime, formatLocalDate, formatLocalTime} from '../../src/i18n/local-time.js'
import {ROOT} from '../helpers/run-cli.js'

describe('local time for people', () => {
  it('shows an instant in the given zone, with the zone named and its offset', () => {
    expect(formatLocalTime('2026-12-03T06:05:59.000Z', {timeZone: 'Asia/Shanghai'})).to.equal('2026-12-03 14:05 (Asia/Shanghai, UTC+08:00)')
    expect(formatLocalTime(new Date('2026-07-01T12:00:00.000Z'), {timeZone: 'Europe/Berlin'})).to.equal('2026-07-01 14:00 (Europe/Berlin, UTC+02:00)')
    expect(formatLocalTime('2026-12-03T06:05:00.000Z', {timeZone: 'UTC'})).to.equal('2026-12-03 06:05 (UTC)')
    expect(formatLocalDate('2026-12-03T18:00:00.000Z', {timeZone: 'Asia/Shanghai'})).to.equal('2026-12-04')
    expect(formatClockTime('12:30', {now: new Date('2026-12-03T00:00:00.000Z'), timeZone: 'Asia/Shanghai'})).to.equal('12:30 (Asia/Shanghai, UTC+08:00)')
    expect(formatLocalTime('not a time')).to.equal('not a time')
  })

  it('follows the PC\'s zone (TZ) when none is given, a POSIX one by its offset', () => {
    const run = (tz: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/i18n/local-time.ts').then((m) => process.stdout.write(m.formatLocalTime('2026-12-03T06:05:00.000Z')))"], {cwd: ROOT, encoding: 'utf8', env: {...process.env, TZ: tz}}).stdout
    expect(run('Asia/Shanghai')).to.equal('2026-12-03 14:05 (Asia/Shanghai, UTC+08:00)')
    expect(run('CST-8')).to.equal('2026-12-03 14:05 (UTC+08:00)')
  })
})
