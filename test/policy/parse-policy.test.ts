import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {defaultPolicyPath, loadPolicy} from '../../src/policy/load-policy.js'
import {formatProblem} from '../../src/policy/format-problem.js'
import {parsePolicy} from '../../src/policy/parse-policy.js'
import type {Problem} from '../../src/policy/types.js'

const base = readFileSync(defaultPolicyPath(), 'utf8')

/** The problems of a small policy built around one check's rules. */
function problemsOf(rules: string, extra = ''): Array<{line: number; column: number; key: string; params: Record<string, unknown>}> {
  const text = `policy:
  id: t
  version: "1"
  title: {zh: 测试, en: test}
variables:
  names: ['a', 'b']
  limit: 3
${extra}checks:
  - id: one
    title: {zh: 一, en: one}
    rationale: {zh: 一, en: one}
    remediation: {zh: 一, en: one}
    severity: high
    clause: {id: 四(二)-7, text: 严禁安装与工作无关的软件}
    compliance: {gaocheng-2023: [四(二)-7]}
    rules:
${rules}`
  return parsePolicy(text, 'p.yaml').problems
}

describe('policy loading and validation', () => {
  it('accepts the bundled default policy', async () => {
    const parsed = parsePolicy(base, 'gaocheng-2023.yaml')
    expect(parsed.problems).to.deep.equal([])
    expect(parsed.sha256).to.match(/^[0-9a-f]{64}$/)
    const loaded = await loadPolicy()
    expect(loaded.policy.checks.length).to.be.greaterThan(15)
  })

  it('accepts a valid small policy', () => {
    expect(problemsOf(`      - fact: processes\n        where: {column: name, matches: '\${names}'}\n        expect: none\n`)).to.deep.equal([])
  })

  it('locates a YAML syntax error', () => {
    const [p] = parsePolicy('policy:\n  id: [unclosed\n', 'bad.yaml').problems
    expect(p?.key).to.match(/^(policy\.yamlError|yaml\.[A-Z_]+)$/)
    expect(p?.line).to.be.greaterThan(1)
    // A tab for indentation, the commonest hand-edit slip, in plain words.
    const [tab] = parsePolicy('policy:\n\tid: x\n', 'tab.yaml').problems
    expect(tab?.key).to.equal('yaml.TAB_AS_INDENT')
    expect(formatProblem(tab as Problem, 'zh-CN')).to.contain('Tab')
  })

  it('locates an unknown fact, an unknown column, a bad regex and an undefined variable', () => {
    const unknownFact = problemsOf(`      - fact: procesess\n        expect: none\n`)
    expect(unknownFact).to.deep.include({column: 15, file: 'p.yaml', key: 'policy.unknownFact', line: 17, params: {fact: 'procesess'}})
    const unknownColumn = problemsOf(`      - fact: processes\n        where: {column: nmae, eq: x}\n        expect: none\n`)
    expect(unknownColumn[0]).to.include({key: 'policy.unknownColumn', line: 18})
    const badRegex = problemsOf(`      - fact: processes\n        where: {column: name, matches: 'to(desk'}\n        expect: none\n`)
    expect(badRegex[0]).to.include({key: 'policy.badRegex', line: 18})
    const undefinedVar = problemsOf(`      - fact: processes\n        where: {column: name, matches: '\${nope}'}\n        expect: none\n`)
    expect(undefinedVar[0]).to.include({key: 'policy.undefinedVariable', line: 18})
    const badVarRegex = problemsOf(`      - fact: processes\n        where: {column: name, matches: '\${names}'}\n        expect: none\n`, "  bad: ['ok', '(']\n")
    expect(badVarRegex).to.deep.equal([])
  })

  it('reports a wrongly typed variable where the variable is defined', () => {
    const wrong = problemsOf(`      - fact: processes\n        where: {column: name, in: '\${limit}'}\n        expect: none\n`)
    expect(wrong[0]).to.include({key: 'policy.variableType', line: 7})
  })

  it('reports a duplicate id at the second use', () => {
    const text = base.replace('  - id: firewall-enabled', '  - id: no-entertainment-software')
    const problems = parsePolicy(text, 'dup.yaml').problems
    expect(problems).to.have.length(1)
    expect(problems[0]).to.include({key: 'policy.duplicateId'})
    expect(problems[0]?.line).to.equal(text.split('\n').findIndex((l) => l.includes('- id: no-entertainment-software') && l !== '') + 1 + text.split('\n').slice(text.split('\n').findIndex((l) => l.includes('- id: no-entertainment-software')) + 1).findIndex((l) => l.includes('- id: no-entertainment-software')) + 1)
  })

  it('reports schema violations at the offending key', () => {
    const problems = problemsOf(`      - fact: processes\n        expect: sometimes\n        colour: red\n`)
    const keys = problems.map((p) => `${p.line}:${p.key}:${JSON.stringify(p.params)}`)
    expect(keys.some((k) => k.startsWith('18:schema.enum') && k.includes('none, any, all'))).to.equal(true, keys.join('\n'))
    expect(keys.some((k) => k.startsWith('19:schema.additionalProperties') && k.includes('colour'))).to.equal(true, keys.join('\n'))
    // In the reader's language, naming what is allowed.
    const enumProblem = problems.find((p) => p.key === 'schema.enum')
    expect(formatProblem(enumProblem as Problem, 'zh-CN')).to.match(/只能是以下之一：none, any, all/)
    expect(formatProblem(enumProblem as Problem, 'en')).to.match(/must be one of: none, any, all/)
    const typeProblem = problemsOf(`      - fact: processes\n        expect: none\n        evidence: name\n`).find((p) => p.key === 'schema.type')
    expect(formatProblem(typeProblem as Problem, 'zh-CN')).to.match(/类型必须是 array/)
  })

})
