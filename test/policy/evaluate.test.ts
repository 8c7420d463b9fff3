import {expect} from 'chai'

import {evaluate, evaluateRule, summarise} from '../../src/policy/evaluate.js'
import type {Check, Policy, Rule} from '../../src/policy/types.js'
import {compliantFacts, withTable} from '../helpers/facts-builder.js'

const text = {en: 'x', zh: 'x'}
const check = (rules: Rule[], extra: Partial<Check> = {}): Check => ({
  clause: {id: 'c', text: 'c'},
  compliance: {t: ['1']},
  id: 'k',
  rationale: text,
  remediation: text,
  rules,
  severity: 'high',
  title: text,
  ...extra,
})
const policyOf = (...checks: Check[]): Policy => ({checks, policy: {id: 't', title: text, version: '1'}, variables: {flag: false, max: 2}})
const rowsOf = (values: Array<null | number>) => withTable(compliantFacts(), 'patch_status', values.map((v) => ({days_since_patch: v})))

describe('evaluator', () => {
  const rule = (expect: Rule['expect']): Rule => ({expect, fact: 'patch_status', where: {column: 'days_since_patch', lte: 30}})

  it('expect none / any / all / counts, with unknown rows turning certainty into error', () => {
    const p = policyOf()
    expect(evaluateRule(rule('none'), rowsOf([40, 50]), p).outcome).to.equal('pass')
    expect(evaluateRule(rule('none'), rowsOf([40, 5]), p).outcome).to.equal('fail')
    expect(evaluateRule(rule('none'), rowsOf([40, null]), p).outcome).to.equal('error')
    expect(evaluateRule(rule('any'), rowsOf([40, 5]), p).outcome).to.equal('pass')
    expect(evaluateRule(rule('any'), rowsOf([40]), p).outcome).to.equal('fail')
    expect(evaluateRule(rule('any'), rowsOf([40, null]), p).outcome).to.equal('error')
    expect(evaluateRule(rule('all'), rowsOf([1, 2]), p).outcome).to.equal('pass')
    expect(evaluateRule(rule('all'), rowsOf([1, 40, null]), p).outcome).to.equal('fail')
    expect(evaluateRule(rule('all'), rowsOf([1, null]), p).outcome).to.equal('error')
    expect(evaluateRule(rule('all'), rowsOf([]), p).outcome, 'all of nothing is nothing to judge').to.equal('not_applicable')
    expect(evaluateRule(rule('none'), rowsOf([]), p).outcome, 'none of nothing is nothing to judge').to.equal('not_applicable')
    expect(evaluateRule({...rule('none'), when_empty: 'none_found'}, rowsOf([]), p).outcome).to.equal('pass')
    expect(evaluateRule({...rule('all'), when_empty: 'none_found'}, rowsOf([]), p).outcome, 'all of nothing is not compliance').to.equal('fail')
    expect(evaluateRule({...rule('none'), when_empty: 'fail'}, rowsOf([]), p)).to.include({outcome: 'fail'})
    expect(evaluateRule(rule('any'), rowsOf([]), p).outcome, 'any of nothing fails').to.equal('fail')
    expect(evaluateRule({...rule('any'), when_empty: 'not_applicable'}, rowsOf([]), p).reason?.key).to.equal('reason.empty.not_applicable')
    expect(evaluateRule(rule({max: '${max}', min: 1}), rowsOf([1, 2, 40]), p).outcome).to.equal('pass')
    expect(evaluateRule(rule({max: '${max}'}), rowsOf([1, 2, 3]), p).outcome).to.equal('fail')
    expect(evaluateRule(rule({max: 2}), rowsOf([1, 2, null]), p).outcome).to.equal('error')
  })

  it('keeps evidence rows to the listed columns and says why a rule could not be judged', () => {
    const facts = withTable(compliantFacts(), 'processes', [{name: 'frpc', path: '/opt/frpc', pid: 7, user: 'root'}])
    const ev = evaluateRule({evidence: ['name', 'pid'], expect: 'none', fact: 'processes', where: {column: 'name', eq: 'frpc'}}, facts, policyOf())
    expect(ev.matched).to.deep.equal([{name: 'frpc', pid: 7}])
    const down = evaluateRule(rule('all'), withTable(compliantFacts(), 'patch_status', {error: 'apt-get timed out'}), policyOf())
    expect(down.outcome).to.equal('error')
    expect(down.reason).to.deep.equal({key: 'reason.unavailable.failed', params: {detail: 'apt-get timed out', fact: 'patch_status'}})
    const denied = withTable(compliantFacts(), 'patch_status', {error: 'needs administrator/root: apt', kind: 'permission'})
    expect(evaluateRule(rule('all'), denied, policyOf()).reason?.key).to.equal('reason.unavailable.permission')
    const missing = {...compliantFacts(), tables: {}}
    expect(evaluateRule(rule('all'), missing, policyOf()).reason?.key).to.equal('reason.notCollected')
    expect(evaluateRule(rule('all'), rowsOf([null]), policyOf()).reason?.params.columns).to.equal('days_since_patch')
  })

  it('reports a rule that needs an unconfigured (null) variable as error "policy not configured", whatever the rows', () => {
    const p = policyOf()
    p.variables = {...p.variables, limit: null}
    const needs: Rule = {expect: 'none', fact: 'patch_status', where: {column: 'days_since_patch', gt: '${limit}'}}
    for (const values of [[40], [1, 2]]) {
      const ev = evaluateRule(needs, rowsOf(values), p)
      expect(ev.outcome).to.equal('error')
      expect(ev.reason).to.deep.equal({key: 'reason.notConfigured', params: {variables: 'limit'}})
    }
    const bound = evaluateRule({expect: {min: '${limit}'}, fact: 'patch_status'}, rowsOf([1]), p)
    expect(bound.outcome).to.equal('error')
    // With nothing to judge there is no need for the value.
    expect(evaluateRule(needs, rowsOf([]), p).outcome).to.equal('not_applicable')
  })

  it('leaves rules with nothing to judge out of their check, and calls a check of only such rules not applicable', () => {
    const empty: Rule = {expect: 'none', fact: 'wifi'}
    const passing: Rule = {expect: 'any', fact: 'patch_status'}
    const failing: Rule = {expect: 'none', fact: 'patch_status'}
    const facts = withTable(compliantFacts('linux'), 'wifi', [])
    const [partial, onlyEmpty, stillFails] = evaluate(facts, policyOf(check([empty, passing], {id: 'a'}), check([empty], {id: 'b'}), check([empty, failing], {condition: 'any', id: 'c'})))
    expect(partial?.status).to.equal('pass')
    expect(onlyEmpty?.status).to.equal('not_applicable')
    expect(onlyEmpty?.evidence.not_applicable).to.deep.equal({empty: ['wifi']})
    expect(stillFails?.status).to.equal('fail')
  })

  it('combines rules with condition all / any and honours platforms and enabled', () => {
    const failing: Rule = {expect: 'none', fact: 'patch_status'}
    const passing: Rule = {expect: 'any', fact: 'patch_status'}
    const [all, any, other, off] = evaluate(
      compliantFacts('linux'),
      policyOf(
        check([passing, failing], {id: 'all'}),
        check([failing, passing], {condition: 'any', id: 'any'}),
        check([passing], {id: 'win', platforms: ['win32']}),
        check([passing], {enabled: '${flag}', id: 'off'}),
      ),
    )
    expect([all?.status, any?.status, other?.status, off?.status]).to.deep.equal(['fail', 'pass', 'not_applicable', 'not_applicable'])
  })

  it('scores passed / judged, counting errors against and leaving N/A out', () => {
    const results = ['pass', 'pass', 'fail', 'error', 'not_applicable'].map((status) => ({status}))
    expect(summarise(results as never)).to.deep.equal({error: 1, fail: 1, not_applicable: 1, pass: 2, score: 0.5})
    expect(summarise([]).score).to.equal(null)
  })
})
