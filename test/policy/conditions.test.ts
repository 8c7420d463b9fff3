import {expect} from 'chai'

import {judge} from '../../src/policy/conditions.js'
import type {Condition, Policy} from '../../src/policy/types.js'

const policy = {checks: [], policy: {id: 't', title: {en: 't', zh: 't'}, version: '1'}, variables: {nets: ['10.0.0.0/8', 'fd00::/8'], names: ['todesk', '^frp']}} as unknown as Policy
const j = (cond: Condition, row: Record<string, unknown>) => judge(cond, row as never, policy)

describe('policy conditions (three-valued)', () => {
  it('compares strings case-insensitively and numbers strictly', () => {
    expect(j({column: 'name', eq: 'ToDesk'}, {name: 'todesk'})).to.equal(true)
    expect(j({column: 'n', eq: 1}, {n: '1'})).to.equal(false)
    expect(j({column: 'name', in: ['A', 'b']}, {name: 'B'})).to.equal(true)
  })

  it('treats a null cell as unknown, except for exists', () => {
    expect(j({column: 'days', lte: 30}, {days: null})).to.equal('unknown')
    expect(j({column: 'days', ne: 3}, {days: null})).to.equal('unknown')
    expect(j({column: 'days', exists: false}, {days: null})).to.equal(true)
    expect(j({column: 'days', exists: true}, {days: 4})).to.equal(true)
  })

  it('combines with Kleene and/or/not', () => {
    const unknown = {column: 'x', eq: 1} as Condition
    expect(j({all: [unknown, {column: 'y', eq: 2}]}, {x: null, y: 3})).to.equal(false)
    expect(j({any: [unknown, {column: 'y', eq: 2}]}, {x: null, y: 2})).to.equal(true)
    expect(j({any: [unknown, {column: 'y', eq: 2}]}, {x: null, y: 3})).to.equal('unknown')
    expect(j({not: unknown}, {x: null})).to.equal('unknown')
  })

  it('matches regex lists from variables, Unicode and case-insensitive, with a tolerated (?i)', () => {
    expect(j({column: 'name', matches: '${names}'}, {name: 'ToDesk_Service.exe'})).to.equal(true)
    expect(j({column: 'name', matches: '${names}'}, {name: 'xfrpc'})).to.equal(false)
    expect(j({column: 'name', matches: '(?i)向日葵'}, {name: '向日葵远程控制'})).to.equal(true)
    expect(j({column: 'name', not_matches: ['foo']}, {name: 'bar'})).to.equal(true)
  })

  it('applies positive operators to any element of a list cell', () => {
    expect(j({column: 'addresses', in_cidr: '${nets}'}, {addresses: ['192.168.1.2/24', '10.1.2.3/16']})).to.equal(true)
    expect(j({column: 'addresses', in_cidr: '${nets}'}, {addresses: ['fd12::1/64']})).to.equal(true)
    expect(j({column: 'addresses', in_cidr: '${nets}'}, {addresses: ['192.168.1.2/24']})).to.equal(false)
    expect(j({column: 'addresses', in_cidr: '${nets}'}, {addresses: []})).to.equal(false)
  })

  it('compares numeric order and refuses non-numbers as unknown', () => {
    expect(j({column: 'n', gt: 2}, {n: 3})).to.equal(true)
    expect(j({column: 'n', gte: 3}, {n: 3})).to.equal(true)
    expect(j({column: 'n', lt: 3}, {n: 3})).to.equal(false)
    expect(j({column: 'n', lt: 3}, {n: 'abc'})).to.equal('unknown')
    expect(j({column: 's', contains: 'vpn'}, {s: 'Sangfor VPN Adapter'})).to.equal(true)
  })
})
