import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {defaultPolicyPath} from '../../src/policy/load-policy.js'
import {parsePolicy} from '../../src/policy/parse-policy.js'
import {diffPolicies, isEmptyDiff} from '../../src/policy/policy-diff.js'
import {renderDiff} from '../../src/policy/render-diff.js'
import type {Policy} from '../../src/policy/types.js'

const base = parsePolicy(readFileSync(defaultPolicyPath(), 'utf8'), defaultPolicyPath()).policy as Policy
const copy = (): Policy => structuredClone(base)

describe('policy diff against the default', () => {
  it('finds nothing between the default and itself', () => {
    const diff = diffPolicies(base, copy())
    expect(isEmptyDiff(diff)).to.equal(true)
    expect(renderDiff(diff, 'gaocheng-2023 1.0.0', 'en')).to.deep.equal(['Same as the default policy gaocheng-2023 1.0.0'])
  })

  it('lists variables old → new, the policy fields, and checks added, removed and changed by id', () => {
    const other = copy()
    other.policy.id = 'district-x'
    other.policy.incident_contact = {en: 'Duty room 110', zh: '值班室 110'}
    other.variables = {...other.variables, approved_ssids: ['GC-5F'], new_threshold: 3}
    delete other.variables.approved_bssids
    other.variables.remote_access_ports = [...(base.variables?.remote_access_ports as number[]), 8080].filter((port) => port !== 23)
    const [first, second, ...rest] = other.checks
    other.checks = [{...(first as Policy['checks'][number]), severity: 'critical'}, ...rest, {...(second as Policy['checks'][number]), id: 'district-extra'}]
    const diff = diffPolicies(base, other)
    expect(diff.meta).to.deep.equal([
      {from: 'gaocheng-2023', name: 'id', to: 'district-x'},
      {from: base.policy.incident_contact, name: 'incident_contact', to: {en: 'Duty room 110', zh: '值班室 110'}},
    ])
    expect(diff.variables).to.deep.include.members([
      {from: base.variables?.approved_ssids, name: 'approved_ssids', to: ['GC-5F']},
      {from: undefined, name: 'new_threshold', to: 3},
      {from: [], name: 'approved_bssids', to: undefined},
    ])
    expect(diff.variables.map((v) => v.name)).to.include('remote_access_ports')
    expect(diff.checks).to.deep.equal({
      added: ['district-extra'],
      changed: [{fields: ['severity'], id: (first as Policy['checks'][number]).id}],
      removed: [(second as Policy['checks'][number]).id],
    })
    const lines = renderDiff(diff, 'gaocheng-2023 1.0.0', 'zh-CN')
    expect(lines[0]).to.equal('与默认策略 gaocheng-2023 1.0.0 的不同之处：')
    expect(lines).to.include('  policy.id："gaocheng-2023" → "district-x"')
    expect(lines).to.include('  variables.remote_access_ports：增加 [8080]；删除 [23]')
    expect(lines).to.include(`  删除检查项：${(second as Policy['checks'][number]).id}`)
    expect(lines).to.include(`  修改检查项：${(first as Policy['checks'][number]).id}（severity）`)
  })

  it('shows a value that is not configured as such, and control characters escaped', () => {
    const before = copy()
    before.variables = {...before.variables, approved_subnets: null}
    const after = copy()
    after.variables = {...after.variables, approved_subnets: ['10.13.0.0/16'], unit_name: 'Office\u001B[2J'}
    const lines = renderDiff(diffPolicies(before, after), 'b 1', 'en')
    expect(lines).to.include('  variables.approved_subnets: null (not configured) → ["10.13.0.0/16"]')
    expect(lines.join('\n')).to.include('\\u001b[2J').and.not.include('\u001B')
  })
})
