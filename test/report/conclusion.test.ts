import {expect} from 'chai'

import type {Status} from '../../src/policy/evaluate.js'
import {conclude} from '../../src/report/conclusion.js'

const of = (...statuses: Status[]) => statuses.map((status) => ({status}))

describe('conclude (合格 / 不合格 / 无法判定)', () => {
  it('is compliant when something passed and nothing failed or went unjudged; not-applicable checks do not count', () => {
    expect(conclude(of('pass', 'pass', 'not_applicable'))).to.deep.equal({counts: {error: 0, fail: 0, not_applicable: 1, pass: 2}, verdict: 'compliant'})
  })

  it('is non-compliant when any check failed, even beside unjudged ones', () => {
    expect(conclude(of('pass', 'error', 'fail')).verdict).to.equal('non_compliant')
  })

  it('cannot be determined when none failed but one could not be judged, or nothing was judged at all', () => {
    expect(conclude(of('pass', 'error')).verdict).to.equal('undetermined')
    expect(conclude(of('not_applicable')).verdict).to.equal('undetermined')
    expect(conclude([]).verdict).to.equal('undetermined')
  })
})
