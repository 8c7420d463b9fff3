// `facts --record DIR`: wraps the gathering's exec so every program's output is also saved, byte
// for byte, beside a manifest. The folder must be new or empty, and every file is created new
// (O_EXCL, no link followed), since an elevated audit may be the one writing it.
import {constants} from 'node:fs'
import {mkdir, open, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {UserError} from '../../cli/user-error.js'
import {FactError} from '../../os/fact-error.js'
import {toolName} from '../../os/tools.js'
import type {Exec} from '../../os/types.js'
import {MANIFEST_FILE, numberedKey, RECORDING_SCHEMA, type RecordedRun, type RecordingManifest, runKey} from './manifest.js'

const CREATE_NEW = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0)

async function writeNew(file: string, data: Buffer | string): Promise<void> {
  const handle = await open(file, CREATE_NEW, 0o600)
  try {
    await handle.writeFile(data)
  } finally {
    await handle.close()
  }
}

/** Makes DIR (or takes it when empty); anything already in it is refused, never overwritten. */
export async function prepareRecordingDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, {mode: 0o700, recursive: true})
    if ((await readdir(dir)).length > 0) throw new UserError('facts.record.notEmpty', {dir})
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError('file.unwritable', {file: dir, reason: (error as NodeJS.ErrnoException).code ?? String(error)})
  }
}

export interface Recorder {
  exec: Exec
  /** Writes manifest.json once the gathering is over. */
  finish: (about: Omit<RecordingManifest, 'runs' | 'schema'>) => Promise<void>
}

export function recordingExec(inner: Exec, dir: string, clock: () => number = () => performance.now()): Recorder {
  const runs: RecordedRun[] = []
  const seen = new Map<string, number>()
  const pending: Promise<void>[] = []
  const exec: Exec = async (file, args, options) => {
    const key = numberedKey(runKey(file, args, options?.recordAs), seen)
    const command = [toolName(file), ...args]
    const started = clock()
    try {
      const result = await inner(file, args, options)
      const ms = Math.round(clock() - started)
      runs.push({command, exit_code: result.code, key, ms})
      const writes = [writeNew(join(dir, `${key}.out`), result.raw)]
      if (result.stderr) writes.push(writeNew(join(dir, `${key}.err`), result.stderr))
      pending.push(Promise.all(writes).then(() => undefined))
      return result
    } catch (error) {
      const kind = error instanceof FactError ? error.kind : 'failed'
      runs.push({command, error: {kind, message: (error as Error).message.slice(0, 300)}, exit_code: null, key, ms: Math.round(clock() - started)})
      throw error
    }
  }
  return {
    exec,
    async finish(about) {
      await Promise.all(pending)
      const manifest: RecordingManifest = {schema: RECORDING_SCHEMA, ...about, runs}
      await writeNew(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    },
  }
}
