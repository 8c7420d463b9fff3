import {expect} from 'chai'

import {loadPolicy} from '../../src/policy/load-policy.js'
import type {Policy} from '../../src/policy/types.js'
import {characterClasses, passwordLength, passwordRulesFromPolicy, unitContextFromPolicy} from '../../src/password/rules.js'
import {DEFAULT_RULES} from '../../src/password/types.js'

const policy = (variables: Policy['variables'], unit?: string): Pick<Policy, 'policy' | 'variables'> => ({
  policy: {id: 'p', title: {en: 'p', zh: 'p'}, version: '1', ...(unit ? {unit: {en: unit, zh: unit}} : {})},
  variables,
})

describe('password/rules', () => {
  it('reads the password_* variables, keeping the default for any left out or mistyped', () => {
    const rules = passwordRulesFromPolicy(policy({password_history: 3, password_min_length: 12, password_min_score: '4' as unknown as number}))
    expect(rules).to.deep.equal({...DEFAULT_RULES, history: 3, minLength: 12})
    expect(passwordRulesFromPolicy(policy(undefined))).to.deep.equal(DEFAULT_RULES)
    expect(passwordRulesFromPolicy(policy({password_min_classes: -1, password_max_age_days: 30.5}))).to.deep.equal(DEFAULT_RULES)
  })

  it('reads the unit from unit_name and unit_region, else the policy unit title', () => {
    expect(unitContextFromPolicy(policy({unit_name: ' 藁城区网信办 ', unit_region: ['河北省', '石家庄市']}))).to.deep.equal({region: ['河北省', '石家庄市'], unitName: '藁城区网信办'})
    expect(unitContextFromPolicy(policy({unit_region: '藁城区'}, '某单位'))).to.deep.equal({region: ['藁城区'], unitName: '某单位'})
    expect(unitContextFromPolicy(policy({}))).to.deep.equal({region: []})
  })

  it('gives the bundled policy the rules of issue 3 and the Gaocheng unit', async () => {
    const {policy: bundled} = await loadPolicy()
    expect(passwordRulesFromPolicy(bundled)).to.deep.equal({history: 5, maxAgeDays: 90, minClasses: 3, minLength: 8, minScore: 3})
    const unit = unitContextFromPolicy(bundled)
    expect(unit.region).to.deep.equal(['河北省', '石家庄市', '藁城区'])
    expect(unit.unitName).to.contain('藁城区')
  })

  it('counts character classes and characters as a person does', () => {
    expect(characterClasses('abc')).to.equal(1)
    expect(characterClasses('Abc1')).to.equal(3)
    expect(characterClasses('Abc1!')).to.equal(4)
    expect(characterClasses('密码Abc')).to.equal(3)
    expect(passwordLength('密码😀ab')).to.equal(5)
  })
})
