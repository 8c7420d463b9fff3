import {expect} from 'chai'

import {fleetAgent, toCsv} from '../../src/collector/fleet.js'
import type {AgentRow, ReportRow} from '../../src/collector/store/types.js'

const agent: AgentRow = {agent_id: 'a', hostname: 'pc', cert_fingerprint: 'f', cert_serial: '1', enrolled_at: '2026-01-01T00:00:00.000Z', revoked_at: null, last_seen: null}
const report: ReportRow = {report_id: 'r', agent_id: 'a', generated_at: '2026-01-04T23:00:00.000Z', received_at: '2026-01-05T00:00:00.000Z', score: 0.8, failing: ['x'], body: {}}

describe('collector fleet view', () => {
  it('flags an agent stale after --stale-days without a report, counting from enrollment if it never reported', () => {
    expect(fleetAgent(agent, undefined, new Date('2026-01-03T23:59:00.000Z'), 3).stale).to.equal(false)
    expect(fleetAgent(agent, undefined, new Date('2026-01-04T00:01:00.000Z'), 3).stale).to.equal(true)
    expect(fleetAgent(agent, report, new Date('2026-01-07T23:59:00.000Z'), 3).stale).to.equal(false)
    expect(fleetAgent(agent, report, new Date('2026-01-08T00:01:00.000Z'), 3).stale).to.equal(true)
    expect(fleetAgent(agent, report, new Date('2026-01-08T00:01:00.000Z'), 7).stale).to.equal(false)
    // A revoked agent is expected to be silent.
    expect(fleetAgent({...agent, revoked_at: '2026-01-02T00:00:00.000Z'}, undefined, new Date('2026-02-01T00:00:00.000Z'), 3)).to.include({stale: false, revoked: true})
  })

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    const csv = toCsv([{...report, hostname: 'pc "A", 2', score: null, failing: ['x', 'y']}, {...report, hostname: '@SUM(1)', failing: []}])
    expect(csv.split('\r\n')).to.deep.equal(['report_id,agent_id,hostname,generated_at,score,failing', 'r,a,"pc ""A"", 2",2026-01-04T23:00:00.000Z,,x;y', "r,a,'@SUM(1),2026-01-04T23:00:00.000Z,0.8,", ''])
  })
})
