// `npm run package`: every package into packages/, with SHA256SUMS. Each artifact is built from
// this checkout (after `npm ci`) and pinned npm tarballs only.
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {AppKind} from './bundle.js'
import {buildDeb} from './deb.js'
import {buildMsi} from './msi.js'
import {DEB_ARCH} from './pins.js'
import {type AppTree, type BuildContext, buildApp, stageTarget, type StagedTree} from './stage.js'
import {windowsPackageName} from './windows-tree.js'
import {buildZip} from './zip.js'

export const ARTIFACTS = ['msi', 'zip', 'agent-deb-amd64', 'agent-deb-arm64', 'collector-deb-amd64'] as const

export type Artifact = (typeof ARTIFACTS)[number]

export interface BuildOptions {
  root: string
  outDir: string
  only?: readonly Artifact[]
  compression?: 'none' | 'xz'
  cacheDir?: string
  log?: (line: string) => void
}

export interface Built {
  artifact: Artifact
  file: string
  bytes: number
  seconds: number
}

export const version = (root: string): string => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string}).version

export async function buildPackages(opts: BuildOptions): Promise<Built[]> {
  const wanted = new Set(opts.only ?? ARTIFACTS)
  const workDir = mkdtempSync(join(tmpdir(), 'nmg-package-'))
  const ctx: BuildContext = {cacheDir: opts.cacheDir ?? join(opts.root, 'node_modules', '.cache', 'nm-guard', 'packaging'), root: opts.root, workDir}
  const log = opts.log ?? (() => {})
  const v = version(opts.root)
  const built: Built[] = []
  const apps = new Map<AppKind, AppTree>()
  const app = async (kind: AppKind) => apps.get(kind) ?? apps.set(kind, await buildApp(ctx, kind)).get(kind) as AppTree
  const timed = async (artifact: Artifact, make: () => Promise<string> | string) => {
    const start = performance.now()
    const file = await make()
    const item = {artifact, bytes: statSync(file).size, file, seconds: (performance.now() - start) / 1000}
    log(`${basename(file)}  ${(item.bytes / 1e6).toFixed(1)} MB  ${item.seconds.toFixed(1)} s`)
    built.push(item)
  }
  try {
    mkdirSync(opts.outDir, {recursive: true})
    let windows: StagedTree | undefined
    const windowsTree = async () => (windows ??= stageTarget(ctx, await app('agent'), 'agent', 'win32-x64'))
    if (wanted.has('msi')) {
      const tree = await windowsTree()
      await timed('msi', () => buildMsi(tree, join(opts.outDir, windowsPackageName(v, 'msi'))).file)
    }
    if (wanted.has('zip')) {
      const tree = await windowsTree()
      await timed('zip', () => {
        const file = join(opts.outDir, windowsPackageName(v, 'zip'))
        buildZip(tree, file)
        return file
      })
    }
    for (const [artifact, target] of [
      ['agent-deb-amd64', 'linux-x64'],
      ['agent-deb-arm64', 'linux-arm64'],
    ] as const) {
      if (!wanted.has(artifact)) continue
      const tree = await app('agent')
      await timed(artifact, () => buildDeb(stageTarget(ctx, tree, 'agent', target), {arch: DEB_ARCH[target] as string, kind: 'agent', target, version: v, compression: opts.compression}, workDir, opts.outDir))
    }
    if (wanted.has('collector-deb-amd64')) {
      const tree = await app('collector')
      await timed('collector-deb-amd64', () => buildDeb(stageTarget(ctx, tree, 'collector', 'linux-x64'), {arch: 'amd64', kind: 'collector', target: 'linux-x64', version: v, compression: opts.compression}, workDir, opts.outDir))
    }
    writeSums(opts.outDir, built)
    return built
  } finally {
    rmSync(workDir, {force: true, recursive: true})
  }
}

/** SHA256SUMS in the format `sha256sum -c` reads. */
export function writeSums(outDir: string, built: Built[]): void {
  const lines = built.map(({file}) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${basename(file)}`)
  // By code unit on the name (after the 64-digit hash and two spaces): the same order everywhere.
  const name = (line: string) => line.slice(66)
  writeFileSync(join(outDir, 'SHA256SUMS'), `${lines.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0)).join('\n')}\n`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), '..', '..')
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-')) as Artifact[]
  const bad = only.filter((a) => !(ARTIFACTS as readonly string[]).includes(a))
  if (bad.length > 0) {
    process.stderr.write(`unknown artifact(s): ${bad.join(', ')}; choose from ${ARTIFACTS.join(', ')}\n`)
    process.exit(2)
  }
  const start = performance.now()
  const built = await buildPackages({log: (line) => process.stdout.write(`${line}\n`), only: only.length > 0 ? only : undefined, outDir: join(root, 'packages'), root})
  process.stdout.write(`${built.length} package(s) and SHA256SUMS in packages/ in ${((performance.now() - start) / 1000).toFixed(1)} s\n`)
}
