// The installed package's root (where messages/ and policies/ live): the nearest folder above this
// module holding nm-guard's package.json. Searched, not counted, because this module sits at a
// different depth in src/, dist/ and a bundled package's chunks.
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'nm-guard') return dir
    if (dirname(dir) === dir) throw new Error(`nm-guard's package.json not found above ${from}`)
  }
}

let root: string | undefined

export const packageRoot = (): string => (root ??= findRoot(dirname(fileURLToPath(import.meta.url))))
