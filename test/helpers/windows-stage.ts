// The agent's staged win32-x64 tree (packaging/stage.ts: bundle, Windows Node, keyring module), built
// once per mocha process (~15 s) for every packaging test that needs it, and removed at exit.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildApp, stageTarget, type StagedTree} from '../../packaging/stage.js'
import {ROOT} from './run-cli.js'

let staged: Promise<StagedTree> | undefined

export function windowsStage(): Promise<StagedTree> {
  staged ??= (async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'nmg-stage-win-'))
    process.once('exit', () => rmSync(workDir, {force: true, recursive: true}))
    const ctx = {cacheDir: join(ROOT, 'node_modules', '.cache', 'nm-guard', 'packaging'), root: ROOT, workDir}
    return stageTarget(ctx, await buildApp(ctx, 'agent'), 'agent', 'win32-x64')
  })()
  return staged
}
