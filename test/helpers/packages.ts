// The Linux packages, built once per test run and together (one agent bundle for both debs; no
// compression: the same files, built in seconds), into a temp folder, for every test that installs
// or inspects one.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Artifact, buildPackages, type Built} from '../../packaging/build.js'
import {ROOT} from './run-cli.js'

const LINUX: readonly Artifact[] = ['agent-deb-amd64', 'agent-deb-arm64', 'collector-deb-amd64']

let built: Promise<Built[]> | undefined

/** The artifact's file, building the Linux packages on first use. */
export async function packageFile(artifact: (typeof LINUX)[number]): Promise<string> {
  built ??= buildPackages({compression: 'none', only: LINUX, outDir: mkdtempSync(join(tmpdir(), 'nmg-packages-')), root: ROOT})
  const item = (await built).find((b) => b.artifact === artifact)
  if (!item) throw new Error(`${artifact} was not built`)
  return item.file
}
