import {expect} from 'chai'

import {MAX_CLAUSES_PER_REPORT, MAX_ID_LENGTH, reportView, ReportViewError} from '../../src/collector/report-view.js'

const check = (id: string, status: string, clause?: string) => ({id, status, ...(clause ? {clause: {id: clause, text: '本条款已废止'}} : {})})

describe('report view', () => {
  it("derives the score, failing checks and failing clauses from the results, not the agent's summary", () => {
    const view = reportView([check('a', 'pass', '四(二)-1'), check('b', 'fail', '四(二)-7'), check('c', 'fail', '四(二)-7'), check('d', 'error', '四(二)-2'), check('e', 'not_applicable')])
    expect(view).to.deep.equal({score: 0.25, failing: ['b', 'c'], failingClauses: ['四(二)-7']})
  })

  it('reads stored bodies defensively: no results, null entries, odd clause shapes', () => {
    expect(reportView(undefined)).to.deep.equal({score: null, failing: [], failingClauses: []})
    expect(reportView([null, {status: 'fail', clause: null}, {id: 7, status: 'fail', clause: {id: ['x']}}])).to.deep.equal({score: 0, failing: [], failingClauses: []})
  })

  it('bounds what it keeps: over-long ids are dropped, more than the clause limit is refused', () => {
    const long = 'x'.repeat(MAX_ID_LENGTH + 1)
    expect(reportView([check(long, 'fail', long)])).to.include({score: 0}).and.to.deep.include({failing: [], failingClauses: []})
    const many = Array.from({length: MAX_CLAUSES_PER_REPORT + 1}, (_, i) => check(`c${i}`, 'pass', `X-${i}`))
    expect(() => reportView(many)).to.throw(ReportViewError, `at most ${MAX_CLAUSES_PER_REPORT} clauses`)
    expect(() => reportView(many.slice(1))).not.to.throw()
  })
})
