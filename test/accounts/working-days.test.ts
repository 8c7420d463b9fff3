import {expect} from 'chai'

import {workingDayAfter, workingDaysBetween} from '../../src/accounts/working-days.js'

const shanghai = {timeZone: 'Asia/Shanghai'}
const at = (iso: string) => new Date(iso)

describe('working days (二(七): 5 working days)', () => {
  it('counts Monday to Friday after the day of the change, on the PC\'s calendar', () => {
    // Friday 2026-12-04 09:00 in Shanghai.
    const friday = at('2026-12-04T01:00:00.000Z')
    expect(workingDaysBetween(friday, at('2026-12-04T09:00:00.000Z'), shanghai)).to.equal(0)
    expect(workingDaysBetween(friday, at('2026-12-06T09:00:00.000Z'), shanghai)).to.equal(0) // Sunday
    expect(workingDaysBetween(friday, at('2026-12-07T01:00:00.000Z'), shanghai)).to.equal(1) // Monday
    expect(workingDaysBetween(friday, at('2026-12-11T01:00:00.000Z'), shanghai)).to.equal(5)
    expect(workingDaysBetween(friday, at('2027-01-01T01:00:00.000Z'), shanghai)).to.equal(20)
    expect(workingDaysBetween(friday, at('2026-12-01T01:00:00.000Z'), shanghai)).to.equal(0)
  })

  it('takes the date where the PC is: 20:00 UTC on Sunday is already Monday in Shanghai', () => {
    const sunday = at('2026-12-06T20:00:00.000Z')
    expect(workingDaysBetween(at('2026-12-04T01:00:00.000Z'), sunday, shanghai)).to.equal(1)
    expect(workingDaysBetween(at('2026-12-04T01:00:00.000Z'), sunday, {timeZone: 'UTC'})).to.equal(0)
  })

  it('gives the last day a report is on time: the 5th working day after the change', () => {
    expect(workingDayAfter(at('2026-12-04T01:00:00.000Z'), 5, shanghai)).to.equal('2026-12-11')
    expect(workingDayAfter(at('2026-12-05T01:00:00.000Z'), 5, shanghai)).to.equal('2026-12-11') // Saturday
    expect(workingDayAfter(at('2026-12-28T01:00:00.000Z'), 5, shanghai)).to.equal('2027-01-04')
  })
})
