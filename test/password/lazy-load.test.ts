// The audit must never load the strength model (zxcvbn-ts, pinyin-pro, the dictionary pack): walk
// the static imports from the audit command and from the light password modules.
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {expect} from 'chai'

import {ROOT} from '../helpers/run-cli.js'

const STATIC_IMPORT = /^\s*import\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm

function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    if (!file.endsWith('.ts')) return
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (!spec) continue
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
      else seen.add(spec)
    }
  }
  visit(join(ROOT, entry))
  return seen
}

const HEAVY = (name: string): boolean => /@zxcvbn-ts|pinyin-pro|password[/\\](model|judge|word-index|template|zh-pack)\.ts$/.test(name)

describe('password: lazy loading', () => {
  for (const entry of ['src/commands/audit.ts', 'src/password/rules.ts', 'src/password/types.ts', 'src/password/judge.ts']) {
    it(`${entry} imports no part of the strength model statically`, () => {
      const heavy = [...staticGraph(entry)].filter((f) => HEAVY(f) && !f.endsWith(entry.replace(/^src\//, '')))
      expect(heavy).to.deep.equal([])
    })
  }
})
