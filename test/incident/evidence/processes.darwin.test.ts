import {expect} from 'chai'

import {executablePaths, parseDarwinPs, parseShasum, shasumPlan} from '../../../src/incident/evidence/processes.darwin.js'
import {fixture} from '../../helpers/fake-exec.js'

describe('macOS process hashing plan', () => {
  it('reads ps rows with paths that contain spaces', () => {
    const rows = parseDarwinPs(fixture('darwin/evidence/ps-axww.txt'))
    expect(rows).to.have.length(7)
    expect(rows[4]).to.deep.equal({exe: '/Users/xcb/Library/Application Support/helperd', pid: 6120, ppid: 1, uid: 501, user: 'xcb'})
  })

  it('hashes each absolute path once, in batches of 64', () => {
    const paths = executablePaths(parseDarwinPs(fixture('darwin/evidence/ps-axww.txt')))
    expect(paths).to.have.length(5)
    expect(paths).to.not.include('(launchd)')
    const many = Array.from({length: 130}, (_, i) => `/bin/p${i}`)
    const plan = shasumPlan(many)
    expect(plan.map((args) => args.length - 2)).to.deep.equal([64, 64, 2])
    expect(plan[0]?.slice(0, 2)).to.deep.equal(['-a', '256'])
  })

  it('parses shasum text and binary mode lines', () => {
    const hashes = parseShasum(`${'a'.repeat(64)}  /x y/z\n${'b'.repeat(64)} */bin/ls\nshasum: nope\n`)
    expect([...hashes]).to.deep.equal([
      ['/x y/z', 'a'.repeat(64)],
      ['/bin/ls', 'b'.repeat(64)],
    ])
  })
})
