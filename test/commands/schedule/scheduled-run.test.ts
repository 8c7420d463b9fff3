// The scheduled audit as the schedulers start it: a real `audit --scheduled` run of the CLI, with the
// state folder passed the way the Windows task passes it (on the command line, no environment).
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {failureLogPath} from '../../../src/schedule/failure-log.js'
import {buildPlan} from '../../../src/schedule/plan.js'
import {taskArgv} from '../../../src/schedule/schedule.win32.js'
import {compliantFacts} from '../../helpers/facts-builder.js'
import {DEV_BIN, runCli, tempFile} from '../../helpers/run-cli.js'
import {SAMPLE_POLICY_ARGS} from '../../helpers/sample-policy.js'

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\texit (\d+)\t(.+)$/
// The environment the task gives: neither folder variable set, so only the arguments can say where.
const NO_DIRS = {NMG_CONFIG_DIR: undefined, NMG_STATE_DIR: undefined}

describe('nm-guard audit --scheduled', function () {
  this.timeout(60_000)

  it("runs the Windows task's command line with its state folder, and a failed run leaves one line there", async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-scheduled-'))
    const state = join(root, 'state 状态')
    const config = join(root, 'config 配置')
    const {command, args} = taskArgv(buildPlan({binPath: DEV_BIN, env: {NMG_CONFIG_DIR: config, NMG_STATE_DIR: state}, execPath: process.execPath, time: '12:30'}))
    expect(args.slice(1)).to.deep.equal(['audit', '--report', '--scheduled', `--config-dir=${config}`, `--state-dir=${state}`])
    // --report on a PC that was never enrolled (nothing in this state folder): exit 1.
    const r = await runCli(args.slice(1), {command: [command, args[0] ?? ''], env: NO_DIRS})
    expect(r.code, r.stderr).to.equal(1)
    const lines = readFileSync(failureLogPath(state), 'utf8').split('\n').filter(Boolean)
    expect(lines).to.have.length(1)
    const m = LINE.exec(lines[0] ?? '')
    expect(m, lines[0]).to.not.equal(null)
    expect(m?.[1]).to.equal('1')
    // The same first line the user saw, in English.
    expect(r.stderr.split('\n')[0]).to.equal(`nm-guard: ${m?.[2]}`)
  })

  it('logs an unreadable --policy in English even under --lang zh-CN, and a second failure as a second line', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-scheduled-'))
    const facts = tempFile('clean.json', compliantFacts('win32'))
    const missing = join(state, 'no-such-policy.yaml')
    const first = await runCli(['audit', '--scheduled', '--facts', facts, '--policy', missing, '--format', 'json', '--lang', 'zh-CN', `--state-dir=${state}`], {env: NO_DIRS})
    expect(first.code, first.stderr).to.equal(1)
    const [line] = readFileSync(failureLogPath(state), 'utf8').split('\n').filter(Boolean)
    expect(line).to.match(LINE)
    expect(line).to.include('no-such-policy.yaml')
    expect(line).to.not.match(/[\u4e00-\u9fff]/)
    const second = await runCli(['audit', '--scheduled', '--bogus-flag', `--state-dir=${state}`], {env: NO_DIRS})
    expect(second.code).to.equal(2)
    const lines = readFileSync(failureLogPath(state), 'utf8').split('\n').filter(Boolean)
    expect(lines).to.have.length(2)
    expect(lines[1]).to.match(/\texit 2\t/)
  })

  it('leaves no line when the run succeeds or only finds problems (exit 0, 3), nor without --scheduled', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-scheduled-'))
    const clean = tempFile('clean.json', compliantFacts('win32'))
    const ok = await runCli(['audit', '--scheduled', '--facts', clean, '--format', 'json', `--state-dir=${state}`, ...SAMPLE_POLICY_ARGS], {env: NO_DIRS})
    expect(ok.code, ok.stderr).to.equal(0)
    const dirty = compliantFacts('win32')
    dirty.tables.processes = {rows: [{name: 'ToDesk.exe', path: null, pid: 9, user: null}]}
    const found = await runCli(['audit', '--scheduled', '--facts', tempFile('dirty.json', dirty), '--format', 'json', `--state-dir=${state}`, ...SAMPLE_POLICY_ARGS], {env: NO_DIRS})
    expect(found.code, found.stderr).to.equal(3)
    const unscheduled = await runCli(['audit', '--facts', clean, '--policy', join(state, 'missing.yaml'), `--state-dir=${state}`], {env: NO_DIRS})
    expect(unscheduled.code).to.equal(1)
    expect(existsSync(failureLogPath(state))).to.equal(false)
  })
})
