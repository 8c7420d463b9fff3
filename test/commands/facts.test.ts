import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {DEV_BIN, ROOT, runCli, tempFile} from '../helpers/run-cli.js'

describe('nm-guard facts (CLI)', function () {
  this.timeout(60_000)

  it('gathers the chosen tables into the facts@1 contract, inside the --json envelope', async () => {
    const r = await runCli(['facts', '--table', 'os_version', '--table', 'processes', '--json'])
    expect(r.code, r.stderr).to.equal(0)
    const {status, result} = JSON.parse(r.stdout)
    expect(status).to.equal(0)
    expect(result.schema).to.equal('nm-guard/facts@1')
    expect(Object.keys(result.tables).sort()).to.deep.equal(['os_version', 'processes'])
    expect(result.host).to.have.keys('hostname', 'platform', 'os_name', 'os_version', 'arch')
    if (process.platform === 'linux') {
      expect(result.tables.os_version.rows[0].platform).to.equal('linux')
      expect(result.tables.processes.rows.some((p: {pid: number}) => p.pid === process.pid)).to.equal(true)
    }
  })

  it('saves a snapshot that audit --facts evaluates', async () => {
    const out = tempFile('snapshot.json', '')
    const saved = await runCli(['facts', '--output', out, '--lang', 'en'])
    expect(saved.code, saved.stderr).to.equal(0)
    expect(saved.stdout).to.match(/^Facts of /)
    expect(saved.stdout).to.match(/installed_software: \d+ rows/)
    const snapshot = JSON.parse(readFileSync(out, 'utf8'))
    expect(snapshot.schema).to.equal('nm-guard/facts@1')
    const audited = await runCli(['audit', '--facts', out, '--format', 'json'])
    expect(audited.code).to.be.oneOf([0, 3])
    expect(JSON.parse(audited.stdout).facts.collected_at).to.equal(snapshot.collected_at)
  })

  it('refuses an unknown table name as a usage error', async () => {
    const r = await runCli(['facts', '--table', 'passwords'])
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/^nm-guard: --table cannot be "passwords"; it takes one of: .*\(see nm-guard facts --help\)\n$/)
  })
})

describe('nm-guard --version', () => {
  it('answers before oclif loads, in oclif’s own format', async () => {
    const {version} = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'))
    const fast = await runCli(['--version'], {command: [process.execPath, `${ROOT}/bin/run.js`]})
    expect(fast.stdout).to.equal(`nm-guard/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
    const viaOclif = await runCli(['--version'], {command: [process.execPath, DEV_BIN]})
    expect(viaOclif.stdout).to.equal(fast.stdout)
  })
})
