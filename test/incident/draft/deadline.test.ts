import {expect} from 'chai'

import {clockStart, reportingDeadline, STRICTEST_DEADLINE_HOURS} from '../../../src/incident/draft/deadline.js'

const at = (iso: string) => new Date(iso)

describe('reporting deadline', () => {
  it('counts the strictest limit, 1 hour, from isolation', () => {
    expect(STRICTEST_DEADLINE_HOURS).to.equal(1)
    const status = reportingDeadline(at('2026-11-27T08:00:00Z'), 1, at('2026-11-27T08:20:00Z'))
    expect(status.deadline.toISOString()).to.equal('2026-11-27T09:00:00.000Z')
    expect(status).to.include({minutes: 40, overdue: false, remainingMs: 40 * 60_000})
  })

  it('rounds time left up and time past down, and handles other limits', () => {
    expect(reportingDeadline(at('2026-11-27T08:00:00Z'), 1, at('2026-11-27T08:20:30Z')).minutes).to.equal(40)
    expect(reportingDeadline(at('2026-11-27T08:00:00Z'), 1, at('2026-11-27T09:00:00Z'))).to.include({minutes: 0, overdue: false})
    expect(reportingDeadline(at('2026-11-27T08:00:00Z'), 1, at('2026-11-27T09:30:59Z'))).to.include({minutes: 30, overdue: true})
    expect(reportingDeadline(at('2026-11-27T08:00:00Z'), 4, at('2026-11-27T09:30:00Z'))).to.include({minutes: 150, overdue: false})
    expect(reportingDeadline(at('2026-11-27T08:00:00Z'), 2, at('2026-11-27T08:00:00Z')).deadline.toISOString()).to.equal('2026-11-27T10:00:00.000Z')
  })

  it('refuses a limit that is not a positive number of hours', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => reportingDeadline(at('2026-11-27T08:00:00Z'), bad, at('2026-11-27T08:00:00Z'))).to.throw(RangeError, /positive number of hours/)
    }
    expect(() => reportingDeadline(at('nonsense'), 1, at('2026-11-27T08:00:00Z'))).to.throw(RangeError, /no valid start time/)
  })

  it('starts the clock at isolation, or at the start when isolation never took effect', () => {
    expect(clockStart({isolated_at: '2026-11-27T08:00:01Z', started_at: '2026-11-27T08:00:00Z'}).toISOString()).to.equal('2026-11-27T08:00:01.000Z')
    expect(clockStart({isolated_at: null, started_at: '2026-11-27T08:00:00Z'}).toISOString()).to.equal('2026-11-27T08:00:00.000Z')
  })
})
