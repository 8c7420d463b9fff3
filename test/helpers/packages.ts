// The packages, built once per test run (xz level 1: the same files, built in a fraction of the
// time) into a temp folder, for every test that installs or inspects one.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Artifact, buildPackages, type Built} from '../../packaging/build.js'
import {ROOT} from './run-cli.js'

const built = new Map<Artifact, Promise<Built>>()
let outDir: string | undefined

/** The artifact's file, building it on first use. */
export async function packageFile(artifact: Artifact): Promise<string> {
  outDir ??= mkdtempSync(join(tmpdir(), 'nmg-packages-'))
  const dir = outDir
  if (!built.has(artifact)) built.set(artifact, buildPackages({only: [artifact], outDir: dir, root: ROOT, xzLevel: 1}).then((items) => items[0] as Built))
  return (await (built.get(artifact) as Promise<Built>)).file
}
