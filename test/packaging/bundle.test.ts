// The bundled apps the packages carry: the agent's holds no collector code or database driver,
// oclif's manifest and help work without plugins or node_modules, and each app runs from its folder.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {collectorOnlyInputs} from '../../packaging/bundle.js'
import {packageDirs} from '../../packaging/third-party.js'
import {type AppTree, appPackageJson, buildApp} from '../../packaging/stage.js'
import {ROOT} from '../helpers/run-cli.js'
import {windowsStage} from '../helpers/windows-stage.js'

const ctx = () => ({cacheDir: join(ROOT, 'node_modules', '.cache', 'nm-guard', 'packaging'), root: ROOT, workDir: mkdtempSync(join(tmpdir(), 'nmg-bundle-'))})

describe('packaging: bundled apps', function () {
  this.timeout(120_000)
  let agent: AppTree
  let collector: AppTree

  before(async function () {
    agent = await buildApp(ctx(), 'agent')
    collector = await buildApp(ctx(), 'collector')
  })

  const run = (app: AppTree, args: string[]) => spawnSync(process.execPath, [join(app.dir, 'bin', 'run.js'), ...args], {cwd: tmpdir(), encoding: 'utf8', env: {...process.env, LANG: 'en_US.UTF-8'}})

  it("the agent's bundle holds no collector code, database driver or browser driver", function () {
    expect(collectorOnlyInputs(agent.bundle.inputs)).to.deep.equal([])
    expect(agent.bundle.inputs.some((i) => i.startsWith('src/commands/collector/'))).to.equal(false)
    // Nor the TypeScript compiler oclif would load only in development.
    expect(agent.bundle.inputs.filter((i) => i.includes('node_modules/typescript/'))).to.deep.equal([])
    // …while the collector's does hold its store and drivers' JavaScript.
    expect(collectorOnlyInputs(collector.bundle.inputs).some((i) => i.includes('node_modules/pg/'))).to.equal(true)
    expect(collector.bundle.inputs).to.include('src/collector/server.ts')
  })

  it("carries every bundled package's licence", function () {
    const notice = readFileSync(join(agent.dir, 'THIRD-PARTY-LICENSES.txt'), 'utf8')
    for (const name of ['@oclif/core', '@zxcvbn-ts/core', 'node-forge', 'yaml', 'ajv', '@napi-rs/keyring']) expect(notice).to.include(`==== ${name}@`)
    expect(notice).not.to.include('==== better-sqlite3@')
    expect(readFileSync(join(collector.dir, 'THIRD-PARTY-LICENSES.txt'), 'utf8')).to.include('==== better-sqlite3@').and.include('==== pg@')
    expect(packageDirs(['node_modules/a/x.js', 'node_modules/@s/b/lib/y.js', 'node_modules/a/node_modules/c/z.js', 'src/q.ts'])).to.deep.equal(['node_modules/@s/b', 'node_modules/a', 'node_modules/a/node_modules/c'])
  })

  it('the leak check names what it finds', function () {
    expect(collectorOnlyInputs(['node_modules/better-sqlite3/lib/index.js', 'src/collector/store/sqlite-store.ts', 'src/collector/protocol.ts', 'node_modules/pg/lib/index.js', 'src/agent/queue.ts'])).to.deep.equal([
      'node_modules/better-sqlite3/lib/index.js',
      'src/collector/store/sqlite-store.ts',
      'node_modules/pg/lib/index.js',
    ])
  })

  it("each app's manifest lists its own commands and help", function () {
    const agentIds = Object.keys((JSON.parse(readFileSync(join(agent.dir, 'oclif.manifest.json'), 'utf8')) as {commands: object}).commands)
    expect(agentIds).to.include.members(['audit', 'provision', 'enroll', 'disconnect', 'help', 'account:add'])
    expect(agentIds.filter((id) => id.startsWith('collector'))).to.deep.equal([])
    const collectorIds = Object.keys((JSON.parse(readFileSync(join(collector.dir, 'oclif.manifest.json'), 'utf8')) as {commands: object}).commands)
    expect(collectorIds.sort()).to.deep.equal(['collector:export', 'collector:init', 'collector:revoke', 'collector:serve', 'collector:token:create', 'help'])
  })

  it('the app package.json loads no plugin and keeps only its own topics', function () {
    const project = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>
    const app = appPackageJson(project, 'agent') as {oclif: {plugins?: unknown; topics: object}; dependencies?: unknown; version: string}
    expect(app.oclif.plugins).to.equal(undefined)
    expect(app.dependencies).to.equal(undefined)
    expect(Object.keys(app.oclif.topics)).to.include('account').and.not.to.include('collector')
    expect(Object.keys((appPackageJson(project, 'collector') as {oclif: {topics: object}}).oclif.topics)).to.deep.equal(['collector', 'collector token'])
    expect(app.version).to.equal(project.version)
  })

  it('runs from its own folder: help, a command, and its data files (policy, dictionary, messages)', function () {
    const help = run(agent, ['--help'])
    expect(help.status, help.stderr).to.equal(0)
    expect(help.stdout).to.include('provision').and.include('audit')
    expect(run(agent, ['help', 'audit']).stdout).to.include('--format')
    const policy = run(agent, ['policy', 'show', '--lang', 'zh-CN'])
    expect(policy.status, policy.stderr).to.equal(0)
    expect(policy.stdout).to.include('四(二)')
    const judged = spawnSync(process.execPath, [join(agent.dir, 'bin', 'run.js'), 'password', 'check', '--stdin', '--json'], {encoding: 'utf8', input: 'Zhangwei@0315\n'})
    expect(judged.stdout).to.include('name-date')
  })

  it('the collector app says which package to use when its database driver is missing', function () {
    // The bare app folder has no node_modules: exactly an install without the driver.
    expect(existsSync(join(collector.dir, 'node_modules'))).to.equal(false)
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-nodriver-')), 'c')
    expect(run(collector, ['collector', 'init', '--dir', dir, '--host', '127.0.0.1']).status).to.equal(1)
    const served = run(collector, ['collector', 'token', 'create', '--dir', dir])
    expect(served.stderr).to.include('better-sqlite3 database driver is not installed')
  })

  it("a target's tree carries only its own native modules", async function () {
    const tree = await windowsStage()
    const modules = readdirSync(join(tree.app, 'node_modules', '@napi-rs'))
    expect(modules.sort()).to.deep.equal(['keyring', 'keyring-win32-x64-msvc'])
    expect(readdirSync(join(tree.app, 'node_modules'))).to.deep.equal(['@napi-rs'])
    // The Windows runtime: a PE image ("MZ"), not this machine's node.
    expect(readFileSync(tree.node).subarray(0, 2).toString('latin1')).to.equal('MZ')
  })
})
