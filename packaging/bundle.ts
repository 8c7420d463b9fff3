// The CLI bundled with esbuild: one small entry per command (oclif's manifest loads only the one
// it runs) sharing split chunks, so a package carries ~6 MB of JavaScript instead of node_modules.
// The agent's bundle leaves the collector's commands out, and with them its database drivers.
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import {build, type Metafile} from 'esbuild'

export type AppKind = 'agent' | 'collector'

/** Modules never loaded by the agent: a bundle that reaches one is a build error. */
export const COLLECTOR_ONLY = ['better-sqlite3', 'pg', 'pg-native', 'playwright-core'] as const

/**
 * Never bundled. oclif requires `typescript` (3.5 MB) only to read a tsconfig in development, inside
 * a try/catch; bundled, every command would parse it at start-up. The rest are native modules,
 * copied into the package's node_modules instead (pg-native, pg's optional libpq binding, never is).
 */
export const DEV_ONLY = ['typescript']

export const EXTERNAL: Record<AppKind, string[]> = {
  agent: [...DEV_ONLY, '@napi-rs/keyring'],
  collector: [...DEV_ONLY, '@napi-rs/keyring', 'better-sqlite3', 'pg-native'],
}

/** Command source files (relative to src/) that belong to each kind of package. */
export function commandEntries(root: string, kind: AppKind): string[] {
  const dir = join(root, 'src', 'commands')
  const all = (readdirSync(dir, {recursive: true}) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `commands/${f.replaceAll('\\', '/')}`)
    .sort()
  const isCollector = (f: string) => f.startsWith('commands/collector/')
  return all.filter((f) => (kind === 'collector' ? isCollector(f) : !isCollector(f)))
}

/** The inputs an agent must never carry: the database drivers, the browser driver, the store and server. */
export function collectorOnlyInputs(inputs: readonly string[]): string[] {
  return inputs.filter((i) => COLLECTOR_ONLY.some((m) => i.includes(`node_modules/${m}/`)) || /^src\/collector\/(store|dashboard)\/|^src\/collector\/server\.ts$/.test(i))
}

export interface BundleResult {
  /** Every source file and package module the bundle holds (paths relative to the project). */
  inputs: string[]
  commands: string[]
}

/** Bundles into outDir/dist: dist/cli/run.js (oclif's execute) and dist/commands/**.js. */
export async function bundleApp(root: string, kind: AppKind, outDir: string): Promise<BundleResult> {
  const commands = commandEntries(root, kind)
  const entryPoints = [
    ...commands.map((f) => ({in: join(root, 'src', f), out: f.replace(/\.ts$/, '')})),
    {in: join(root, 'src', 'cli', 'run.ts'), out: 'cli/run'},
    // Named in package.json's oclif section (helpClass, hooks), loaded by path.
    {in: join(root, 'src', 'cli', 'help.ts'), out: 'cli/help'},
    {in: join(root, 'src', 'cli', 'command-not-found.ts'), out: 'cli/command-not-found'},
    {in: join(root, 'src', 'cli', 'help-lang-hook.ts'), out: 'cli/help-lang-hook'},
    {in: join(root, 'packaging', 'help-command.ts'), out: 'commands/help'},
  ]
  const result = await build({
    absWorkingDir: root,
    banner: {
      // oclif and some dependencies are CommonJS and call require(): give the ESM chunks one.
      js: "import {createRequire as __nmgCreateRequire} from 'node:module';const require=__nmgCreateRequire(import.meta.url);",
    },
    bundle: true,
    chunkNames: 'chunks/[name]-[hash]',
    entryPoints,
    external: EXTERNAL[kind],
    format: 'esm',
    legalComments: 'external',
    logLevel: 'error',
    metafile: true,
    minify: true,
    outdir: join(outDir, 'dist'),
    platform: 'node',
    splitting: true,
    target: 'node20',
  })
  const inputs = Object.keys((result.metafile as Metafile).inputs)
  if (kind === 'agent') {
    const leaked = collectorOnlyInputs(inputs)
    if (leaked.length > 0) throw new Error(`the agent bundle reaches collector-only modules: ${leaked.join(', ')}`)
  }
  return {commands: commands.map((f) => f.replace(/^commands\//, '').replace(/\.ts$/, '')), inputs}
}
