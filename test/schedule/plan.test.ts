import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {buildPlan, formatTime, hostOffsetMinutes, parseTime, shiftTime, SPREAD_MINUTES, underRoot} from '../../src/schedule/plan.js'

describe('schedule plan', () => {
  it('parses HH:MM and refuses anything else with a usage error', () => {
    expect(parseTime('09:05')).to.deep.equal({hour: 9, minute: 5})
    expect(parseTime('7:30')).to.deep.equal({hour: 7, minute: 30})
    expect(parseTime('23:59')).to.deep.equal({hour: 23, minute: 59})
    for (const bad of ['24:00', '12:60', '12', '12:5', 'noon', '', '12:30:00', '-1:00']) {
      expect(() => parseTime(bad), bad).to.throw(UserError).with.property('exitCode', 2)
    }
  })

  it('gives each host a stable offset inside the spread window', () => {
    expect(hostOffsetMinutes('pc-0231')).to.equal(hostOffsetMinutes('pc-0231'))
    const offsets = new Set(Array.from({length: 200}, (_, i) => hostOffsetMinutes(`pc-${i}`)))
    for (const o of offsets) expect(o).to.be.within(0, SPREAD_MINUTES - 1)
    // 200 hosts over 30 minutes: nearly every minute is used, so the fleet is spread.
    expect(offsets.size).to.be.greaterThan(25)
  })

  it('shifts a time past midnight', () => {
    expect(formatTime(shiftTime({hour: 23, minute: 50}, 20))).to.equal('00:10')
    expect(formatTime(shiftTime({hour: 9, minute: 5}, 0))).to.equal('09:05')
  })

  it('runs absolute node + bin/run.js audit --report --scheduled and passes only NMG_STATE_DIR / NMG_CONFIG_DIR', () => {
    const plan = buildPlan({env: {HOME: '/root', NMG_CONFIG_DIR: '', NMG_STATE_DIR: '/srv/nmg', PATH: '/bin'}, host: 'pc-1', time: '12:30'})
    expect(plan.command[0]).to.equal(process.execPath)
    expect(plan.command[1]).to.match(/[/\\]bin[/\\]run\.js$/)
    expect(plan.command.slice(2)).to.deep.equal(['audit', '--report', '--scheduled'])
    expect(plan.env).to.deep.equal({NMG_STATE_DIR: '/srv/nmg'})
    expect(plan.offsetMinutes).to.equal(hostOffsetMinutes('pc-1'))
  })

  it('puts paths under an injected root only when one is given', () => {
    expect(underRoot('', '/etc/cron.d/nm-guard')).to.equal('/etc/cron.d/nm-guard')
    expect(underRoot('/', '/etc/cron.d/nm-guard')).to.equal('/etc/cron.d/nm-guard')
    expect(underRoot('/tmp/r', '/etc/cron.d/nm-guard')).to.equal('/tmp/r/etc/cron.d/nm-guard')
  })
})
