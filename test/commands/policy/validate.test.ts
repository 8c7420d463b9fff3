import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {defaultPolicyPath} from '../../../src/policy/load-policy.js'

import {runCli, tempFile} from '../../helpers/run-cli.js'

describe('nm-guard policy validate / show (CLI)', function () {
  this.timeout(60_000)

  it('accepts the bundled policy', async () => {
    const r = await runCli(['policy', 'validate'])
    expect(r.code).to.equal(0)
    expect(r.stdout).to.match(/gaocheng-2023.yaml: valid \(\d+ checks\)\n$/)
  })

  it('lists what a valid policy changes from the default', async () => {
    const edited = readFileSync(defaultPolicyPath(), 'utf8').replace(/^( {2}patch_max_days:) 30\b/m, '$1 14')
    const file = tempFile('district.yaml', edited)
    const r = await runCli(['policy', 'validate', file])
    expect(r.code).to.equal(0)
    expect(r.stdout).to.match(/: valid \(\d+ checks\)\nDifferences from the default policy gaocheng-2023 [^\n]+:\n {2}variables\.patch_max_days: 30 → 14\n$/)
  })

  it('lists every problem as file:line:column and exits 1', async () => {
    const file = tempFile('district.yaml', `policy:
  id: district
  version: "1"
  title: {zh: 区, en: district}
checks:
  - id: a
    title: {zh: a, en: a}
    rationale: {zh: a, en: a}
    remediation: {zh: a, en: a}
    severity: high
    clause: {id: 四(二)-7, text: 严禁安装与工作无关的软件}
    compliance: {gaocheng-2023: [四(二)-7]}
    rules:
      - fact: softwares
        expect: none
  - id: a
    title: {zh: a, en: a}
    rationale: {zh: a, en: a}
    remediation: {zh: a, en: a}
    severity: high
    clause: {id: 四(二)-7, text: 严禁安装与工作无关的软件}
    compliance: {gaocheng-2023: [四(二)-7]}
    rules:
      - fact: processes
        where: {column: name, matches: '[todesk'}
        expect: none
`)
    const r = await runCli(['policy', 'validate', file])
    expect(r.code).to.equal(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines).to.have.length(3)
    expect(lines[0]).to.equal(`${file}:14:15: unknown fact table "softwares"`)
    expect(lines[1]).to.equal(`${file}:16:9: duplicate check id "a" (first used by check #1)`)
    expect(lines[2]).to.match(new RegExp(`^${file}:25:40: invalid regular expression /\\[todesk/`))
    const json = JSON.parse((await runCli(['policy', 'validate', file, '--json'])).stdout)
    expect(json.result.valid).to.equal(false)
    expect(json.result.problems).to.have.length(3)
  })

  it('shows the checks grouped by clause, in either language', async () => {
    const en = await runCli(['policy', 'show', '--lang', 'en'])
    expect(en.code).to.equal(0)
    const clauses = en.stdout.split('\n').filter((l) => /^四\(二\)-\d+ /.test(l)).map((l) => l.split(' ')[0])
    expect(clauses).to.deep.equal(['四(二)-2', '四(二)-3', '四(二)-4', '四(二)-5', '四(二)-6', '四(二)-7', '四(二)-8', '四(二)-9', '四(二)-10', '四(二)-11'])
    expect(en.stdout).to.include('no-remote-control-tools').and.include('GB/T 22239-2019 8.1.4.4')
    const zh = await runCli(['policy', 'show', '--lang', 'zh-CN'])
    expect(zh.stdout).to.include('没有远程控制软件')
  })
})
