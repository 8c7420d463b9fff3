// Every PowerShell script nm-guard sends is parsed by a real PowerShell grammar
// (tree-sitter-powershell), so a typo in a script fails here rather than on a district PC. The
// scripts are found the way a run sends them: the real Windows code paths with a recording exec
// (what reaches powershell.exe on stdin, as -EncodedCommand or as -Command text), plus every
// script constant in src on its own, so a new script is checked without anyone listing it.
import {expect} from 'chai'
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {clipboardCandidates} from '../../src/accounts/clipboard.js'
import {buildBatchScript} from '../../src/facts/powershell-batch.js'
import {disconnect} from '../../src/incident/disconnect.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {incidentStatus} from '../../src/incident/status.js'
import {FOLDER_ACL_PS} from '../../src/os/folder-acl.win32.js'
import {wrapScript} from '../../src/os/powershell.js'
import {toolName} from '../../src/os/tools.js'
import type {Exec} from '../../src/os/types.js'
import {windowsCommandLine} from '../../src/os/windows-command-line.js'
import {fixtureBytes} from '../helpers/fake-exec.js'
import {grammarProblem, syntaxErrors} from '../helpers/powershell-grammar.js'
import {requirePart} from '../helpers/require-part.js'
import {type Spawned, windowsSpawns} from '../helpers/windows-spawns.js'

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src')

interface Script {
  label: string
  text: string
}

/** PowerShell's own abbreviations: any prefix of the parameter name is accepted. */
const isParam = (arg: string, name: string, shortest: number): boolean =>
  arg.startsWith('-') && arg.length - 1 >= shortest && name.toLowerCase().startsWith(arg.slice(1).toLowerCase())

/** The script text(s) one powershell.exe start carries, however it was handed over. */
function scriptsOf(spawn: Pick<Spawned, 'args' | 'file' | 'stdin'>, label: string): Script[] {
  const out: Script[] = []
  const {args} = spawn
  for (let i = 0; i < args.length - 1; i++) {
    const arg = args[i]!
    if (isParam(arg, 'EncodedCommand', 1)) {
      out.push({label: `${label} -EncodedCommand`, text: Buffer.from(args[i + 1]!, 'base64').toString('utf16le')})
      break
    }
    // -Command takes the rest of the line, as powershell.exe joins it; `-` means "read stdin".
    if (isParam(arg, 'Command', 1)) {
      const text = args.slice(i + 1).join(' ')
      if (text !== '-') out.push({label: `${label} -Command`, text})
      break
    }
    // A script file is not on the command line: it would have to be checked where it is written.
    if (isParam(arg, 'File', 1)) throw new Error(`${label}: PowerShell runs a -File script this test cannot see (${args[i + 1]})`)
  }
  if (spawn.stdin) out.push({label: `${label} stdin`, text: spawn.stdin})
  return out
}

const isPowerShell = (file: string): boolean => toolName(file).toLowerCase() === 'powershell'

/** Every PowerShell script in what one Windows path spawned; a PowerShell start with no visible script fails. */
function spawnedScripts(path: string, spawned: Spawned[]): Script[] {
  return spawned
    .filter((s) => isPowerShell(s.file))
    .flatMap((s, i) => {
      const scripts = scriptsOf(s, `${path} #${i + 1}`)
      if (scripts.length === 0) throw new Error(`${path}: powershell.exe started with no script this test can read: ${s.args.join(' ')}`)
      return scripts
    })
}

/**
 * The incident paths again on a PC where every tool fails (exit 1), admin check aside: their
 * fallbacks send scripts of their own (incident status reads the firewall profiles through
 * PowerShell once netsh finds no rule of ours).
 */
async function failingToolSpawns(): Promise<Record<string, Spawned[]>> {
  const root = mkdtempSync(join(tmpdir(), 'nmg-ps-syntax-'))
  const recorder = (): Exec & {spawned: Spawned[]} => {
    const spawned: Spawned[] = []
    const exec = (async (file, args, options) => {
      spawned.push({args, commandLine: windowsCommandLine(file, args), file, stdin: options?.input?.toString() ?? ''})
      if (toolName(file).toLowerCase() === 'whoami') {
        const raw = fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')
        return {code: 0, raw, stderr: '', stdout: raw.toString('utf8')}
      }
      return {code: 1, raw: Buffer.alloc(0), stderr: 'failed', stdout: ''}
    }) as Exec & {spawned: Spawned[]}
    exec.spawned = spawned
    return exec
  }
  const cut = recorder()
  // What was sent matters here, not whether a cut with every tool failing succeeds.
  await disconnect({evidenceDir: join(root, 'evidence'), exec: cut, hostname: 'GCXMT-PC01', keepCollector: false, lang: 'zh-CN', platform: 'win32', probeTimeoutMs: 50, reason: null, root}).catch(() => null)
  const status = recorder()
  await incidentStatus({exec: status, platform: 'win32', root: mkdtempSync(join(root, 'status-'))})
  const back = recorder()
  await reconnect({exec: back, lang: 'zh-CN', platform: 'win32', root}).catch(() => null)
  return {'disconnect (tools failing)': cut.spawned, 'incident status (tools failing)': status.spawned, 'reconnect (tools failing)': back.spawned}
}

const SCRIPT_EXPORT = /^(?:\w+_)?(?:SCRIPT|PS)$/
const DECLARES_SCRIPT = /export const (?:\w+_)?(?:SCRIPT|PS)\b/

/** Every exported script constant in src (`SCRIPT`, `WIN32_TCP_SCRIPT`, `ADAPTERS_PS`…), as its module builds it. */
async function scriptConstants(): Promise<Script[]> {
  const files = (readdirSync(SRC, {recursive: true}) as string[]).filter((f) => f.endsWith('.ts') && DECLARES_SCRIPT.test(readFileSync(join(SRC, f), 'utf8'))).sort()
  const out: Script[] = []
  for (const file of files) {
    const module = (await import(pathToFileURL(join(SRC, file)).href)) as Record<string, unknown>
    for (const [name, value] of Object.entries(module)) {
      if (SCRIPT_EXPORT.test(name) && typeof value === 'string') out.push({label: `${file} ${name}`, text: value})
    }
  }
  return out
}

/** What the grammar rejects in each script, one readable line per error with the offending line. */
async function rejected(scripts: Script[]): Promise<string[]> {
  const problems: string[] = []
  for (const {label, text} of scripts) {
    const lines = text.split('\n')
    for (const e of await syntaxErrors(text)) problems.push(`${label} ${e.line}:${e.column} ${JSON.stringify(e.text)}\n      in: ${lines[e.line - 1]?.trim().slice(0, 200)}`)
  }
  return problems
}

describe('PowerShell syntax of every script nm-guard sends', function () {
  this.timeout(60_000)
  let spawns: Record<string, Spawned[]>
  let constants: Script[]

  before(async function () {
    const problem = await grammarProblem()
    requirePart(this, problem === null, `the PowerShell grammar (npm: web-tree-sitter, tree-sitter-powershell): ${problem}`)
    spawns = await windowsSpawns()
    constants = await scriptConstants()
  })

  describe('the checker', () => {
    it('accepts valid PowerShell 5.1, quoted property lists included', async () => {
      expect(await syntaxErrors("Get-Process | Select-Object 'Name', 'Id'\nif ($a) { @{ x = 1 } } else { $null }")).to.deep.equal([])
    })

    it('rejects an unclosed brace, a dangling comma and a bare-word property list, at the right line', async () => {
      const unclosed = await syntaxErrors('$x = 1\nif ($a) { Get-Process')
      expect(unclosed.map((e) => e.line)).to.include(2)
      const dangling = await syntaxErrors("$x = 1\nGet-Process | Select-Object 'Name',")
      expect(dangling.map((e) => e.line)).to.include(2)
      expect(await syntaxErrors('Get-Process | Select-Object Name, Id')).to.have.length.greaterThan(0)
    })

    it('reads scripts sent as -EncodedCommand, -Command text and stdin', async () => {
      const broken = "Get-Service | Select-Object 'Name',"
      const encoded = scriptsOf({args: ['-NoProfile', '-enc', Buffer.from(broken, 'utf16le').toString('base64')], file: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', stdin: ''}, 'x')
      expect(encoded.map((s) => s.text)).to.deep.equal([broken])
      const bootstrap = scriptsOf({args: ['-NoProfile', '-Command', 'Get-Date'], file: 'powershell', stdin: broken}, 'x')
      expect(bootstrap.map((s) => s.text)).to.deep.equal(['Get-Date', broken])
      expect(scriptsOf({args: ['-ExecutionPolicy', 'Bypass', '-Command', '-'], file: 'powershell', stdin: ''}, 'x')).to.deep.equal([])
      expect(await rejected(encoded)).to.have.length.greaterThan(0)
    })
  })

  it("parses the audit's batch as the real win32 gathering sends it", async () => {
    const scripts = spawnedScripts('audit', spawns.audit!)
    // The batch itself, not only its bootstrap: the recorder saw the fragments go out.
    expect(scripts.some((s) => s.text.includes("$nmgOut['"))).to.equal(true)
    expect(await rejected(scripts)).to.deep.equal([])
  })

  it('parses every script constant in src on its own, alone and as the runner wraps it', async () => {
    expect(constants.filter((s) => /^facts[\\/]/.test(s.label)).length, 'the fact tables’ fragments were found').to.be.greaterThan(8)
    expect(constants.map((s) => s.label.replaceAll('\\', '/')), 'the folder ACL reading (#11 2.1)').to.include('os/folder-acl.win32.ts FOLDER_ACL_PS')
    const wrapped = constants.map((s) => ({label: `${s.label} (wrapped)`, text: wrapScript(s.text)}))
    const batch = {label: 'all constants as one batch', text: buildBatchScript(constants.map((s, i) => ({name: `f${i}`, script: s.text})))}
    expect(await rejected([...constants, ...wrapped, batch])).to.deep.equal([])
  })

  it('parses what disconnect, reconnect, incident status and schedule send, on a working PC and on one where every tool fails', async () => {
    const paths = {...spawns, ...(await failingToolSpawns())}
    const scripts = Object.entries(paths).flatMap(([path, spawned]) => spawnedScripts(path, spawned))
    // Evidence, the cut's state read and the firewall check at least: the recorder saw real scripts.
    for (const path of ['disconnect', 'incident status (tools failing)']) expect(scripts.filter((s) => s.label.startsWith(`${path} #`)).length, path).to.be.greaterThan(0)
    // The state and evidence folders' ACL reading, with its path list, as disconnect sends it (#11 2.1).
    expect(scripts.some((s) => s.label.startsWith('disconnect #') && s.text.includes(FOLDER_ACL_PS) && s.text.includes('FromBase64String'))).to.equal(true)
    expect(await rejected(scripts)).to.deep.equal([])
  })

  it('parses the clipboard commands of `account get --copy`', async () => {
    const scripts = clipboardCandidates('win32', {}).flatMap((tool) =>
      (['copy', 'paste', 'clear'] as const).flatMap((use) => {
        const [file, ...args] = tool[use]
        return isPowerShell(file) ? scriptsOf({args, file, stdin: ''}, `clipboard ${tool.name} ${use}`) : []
      }),
    )
    expect(scripts).to.have.length(3)
    expect(await rejected(scripts)).to.deep.equal([])
  })
})
