// The Windows lane: the project's real CLI (bin/run.js, dist/) on the real Windows Node 20 under
// Wine, in one throwaway prefix for the whole file. What Wine cannot show is tested elsewhere: its
// powershell.exe is a stub (so the PowerShell tables must come back unavailable, with the reason),
// it does not enforce the 32,767-character command line (test/os/windows-spawns.test.ts measures
// that), and @napi-rs/keyring's Windows binary does not load under it (no keychain command here).
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {EXIT} from '../../src/cli/exit-codes.js'
import {requirePart} from '../helpers/require-part.js'
import {ROOT} from '../helpers/run-cli.js'
import {runAudit} from '../../src/report/run-audit.js'
import {ensureBuilt, findWine, NODE_WIN, NODE_WIN_PART, WINE_PART, type WineRun, WineSession, windowsNode, windowsPath} from '../helpers/wine.js'

/** Tables the win32 collectors read through PowerShell (DESIGN.md's contract tables among them). */
const POWERSHELL_TABLES = ['os_version', 'installed_software', 'patch_status', 'antivirus', 'processes', 'network_interfaces', 'wifi', 'vpn', 'firewall']

interface Report {
  schema: string
  report_id: string
  agent: {platform: string; nm_guard_version: string}
  facts: {unavailable: Record<string, string>}
  summary: {pass: number; fail: number; error: number; not_applicable: number}
  results: Array<{id: string; status: string; evidence: {rules: Array<{fact: string}>}}>
}

const WEAK = 'Gaocheng2023'
const STRONG = 'vq7#Lm2!xR9pZt4@Wc'

/** What each case runs. They start together once the prefix is made: each is mostly waiting on Wine, not on a core. */
const RUNS = {
  version: {args: ['--version']},
  audit: {args: ['audit', '--format', 'json']},
  // CRLF, as a file made on Windows has it.
  password: {args: ['password', 'check', '--stdin', '--json'], input: `${WEAK}\r\n${STRONG}\r\n`},
  disconnect: {args: ['disconnect', '--dry-run', '--confirm', hostname(), '--json']},
  // The recording of a Chinese Windows 11 PC, parsed by the Windows build exactly as on Linux.
  replay: {args: ['audit', '--replay', windowsPath(join(ROOT, 'test', 'fixtures', 'win32', 'recordings', 'dirty')), '--format', 'json']},
} satisfies Record<string, {args: string[]; input?: string}>

describe('the CLI on the Windows Node under Wine', function () {
  // Making the prefix takes 5–20 s, each CLI run 2–8 s (oclif's imports are slow through Wine's file
  // system); a working tree newer than dist/ is rebuilt first (~25 s).
  this.timeout(180_000)
  let wine: undefined | WineSession
  const started = {} as Record<keyof typeof RUNS, Promise<WineRun>>

  before(async function () {
    const found = findWine()
    requirePart(this, found !== null, WINE_PART)
    const node = windowsNode()
    requirePart(this, node !== null, NODE_WIN_PART)
    ensureBuilt()
    wine = await WineSession.open(found!, node!)
    for (const [name, run] of Object.entries(RUNS) as Array<[keyof typeof RUNS, {args: string[]; input?: string}]>) {
      started[name] = wine.run(run.args, {input: run.input, timeoutMs: 90_000})
      // Awaited by its own case; this only keeps an early failure from being reported as unhandled.
      started[name].catch(() => {})
    }
  })

  after(async () => {
    await Promise.allSettled(Object.values(started))
    await wine?.close()
  })

  it('--version prints the package version, from the Windows build of Node', async () => {
    const {version} = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}
    const r = await started.version
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.trim()).to.equal(`nm-guard/${version} win32-x64 node-v${NODE_WIN.version}`)
  })

  it('audit --format json: no crash; the PowerShell tables are unavailable with the reason and their checks are errors, never passes', async () => {
    const r = await started.audit
    expect(Object.values(EXIT), `exit ${r.code}: ${r.stderr.slice(0, 2000)}`).to.include(r.code)
    // Errors are never counted as compliant: with every PowerShell table missing the audit cannot pass.
    expect(r.code).to.not.equal(EXIT.ok)
    const report = JSON.parse(r.stdout) as Report
    expect(report.schema).to.equal('nm-guard/report@1')
    expect(report.agent.platform).to.equal('win32')
    const unavailable = report.facts.unavailable
    for (const table of POWERSHELL_TABLES) expect(unavailable[table], `${table} should be unavailable`).to.match(/PowerShell/)
    const judgedOnMissingFacts = report.results.filter((result) => result.evidence.rules.some((rule) => rule.fact in unavailable))
    expect(judgedOnMissingFacts.length).to.be.greaterThan(POWERSHELL_TABLES.length)
    for (const result of judgedOnMissingFacts) expect(result.status, result.id).to.equal('error')
    expect(report.summary.error).to.equal(report.results.filter((result) => result.status === 'error').length)
    expect(report.summary.pass).to.equal(report.results.filter((result) => result.status === 'pass').length)
    // Kept for disconnect's evidence, written atomically under a state dir named in Chinese with a space.
    const kept = JSON.parse(readFileSync(join(r.stateDir, 'last-report.json'), 'utf8')) as {report_id: string}
    expect(kept.report_id).to.equal(report.report_id)
  })

  it('password check --stdin --json judges each line of a CRLF file, one JSON line each, never echoing a password', async () => {
    const r = await started.password
    expect(r.code, r.stderr).to.equal(EXIT.nonCompliant)
    const lines = r.stdout.trim().split(/\r?\n/).map((line) => JSON.parse(line) as {score: number; weak: boolean; reasons: Array<{code: string}>})
    expect(lines.map((line) => line.weak)).to.deep.equal([true, false])
    expect(lines[0]?.reasons.map((reason) => reason.code)).to.include('place-year')
    expect(lines[1]?.score).to.equal(4)
    for (const password of [WEAK, STRONG]) expect(r.stdout + r.stderr).to.not.include(password)
  })

  it('disconnect --dry-run --confirm HOST --json prints a Windows plan and changes nothing', async () => {
    const r = await started.disconnect
    expect(r.code, r.stdout + r.stderr).to.equal(EXIT.ok)
    const {result, status} = JSON.parse(r.stdout) as {status: number; result: {dry_run: boolean; plan: {platform: string; method: string; commands: Array<{file: string; args: string[]}>; notes?: Array<{key: string; params?: Record<string, unknown>}>}}}
    expect(status).to.equal(0)
    expect(result.dry_run).to.equal(true)
    const {plan} = result
    expect(plan.platform).to.equal('win32')
    expect(['windows-firewall', 'adapters-disabled']).to.include(plan.method)
    for (const command of plan.commands) expect(command.file).to.equal('netsh')
    // Wine's PowerShell cannot read the network state: a plan with no step must say why.
    if (plan.commands.length === 0) expect(JSON.stringify(plan.notes ?? [])).to.match(/PowerShell/)
    // A real cut writes its journal before anything else; a dry run must not have.
    expect(existsSync(join(r.stateDir, 'incident'))).to.equal(false)
  })

  it('audit --replay on a Windows recording gives the same report as on Linux', async () => {
    const r = await started.replay
    expect(r.code, r.stderr.slice(0, 2000)).to.equal(EXIT.nonCompliant)
    const report = JSON.parse(r.stdout) as Report & {agent: {hostname: string}}
    expect(report.agent).to.include({hostname: 'GCXMT-PC01', platform: 'win32'})
    const linux = await runAudit({failOn: 'low', format: 'json', interactive: false, colour: false, lang: 'en', replay: join(ROOT, 'test', 'fixtures', 'win32', 'recordings', 'dirty')})
    const statuses = (results: Report['results']): Record<string, string> => Object.fromEntries(results.map((x) => [x.id, x.status]))
    expect(statuses(report.results)).to.deep.equal(statuses(linux.report.results as Report['results']))
    expect(report.facts.unavailable).to.have.keys(Object.keys(linux.report.facts.unavailable))
  })
})
