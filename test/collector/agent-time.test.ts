import {expect} from 'chai'

import {agentTimeProblem, parseAgentTime} from '../../src/collector/agent-time.js'

describe("agent times against the collector's clock", () => {
  const now = new Date('2026-12-03T08:00:00.000Z')

  it('reads real RFC 3339 date-times, with a zone', () => {
    expect(parseAgentTime('2026-12-03T07:59:00Z')?.toISOString()).to.equal('2026-12-03T07:59:00.000Z')
    expect(parseAgentTime('2026-12-03T15:59:00.123+08:00')?.toISOString()).to.equal('2026-12-03T07:59:00.123Z')
    expect(parseAgentTime('2024-02-29T00:00:00Z')).to.not.equal(null)
  })

  it('refuses dates that do not exist or carry no zone', () => {
    for (const text of ['2026-19-39T29:69:69Z', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-12-03T24:00:00Z', '2026-12-03T08:00:00', '2026-12-03', 'yesterday', '2026-12-03T08:00:00+25:00']) {
      expect(parseAgentTime(text), text).to.equal(null)
    }
  })

  it('accepts a clock up to 5 minutes ahead, and says how far ahead one is when refused', () => {
    expect(agentTimeProblem('generated_at', '2026-12-03T08:04:59Z', now)).to.equal(null)
    expect(agentTimeProblem('generated_at', '2020-01-01T00:00:00Z', now)).to.equal(null)
    expect(agentTimeProblem('generated_at', '9999-12-31T23:59:59Z', now)).to.match(/^generated_at is \d+ minutes ahead of the collector's clock \(at most 5 accepted\)/)
    expect(agentTimeProblem('at', '2026-19-39T29:69:69Z', now)).to.equal('at is not a valid date and time')
  })
})
