// `--replay DIR`: an exec that answers each program from a recording instead of running it, so a
// recording made on one PC is parsed on any OS exactly as the live collectors parsed it. A run the
// recording lacks is a tool that was unavailable; one that failed fails the same way again.
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {join} from 'node:path'

import {UserError} from '../../cli/user-error.js'
import {FactError, type FactErrorKind, missingTool} from '../../os/fact-error.js'
import {toolName} from '../../os/tools.js'
import type {Exec} from '../../os/types.js'
import {checkManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES, MAX_OUTPUT_BYTES, numberedKey, type RecordingManifest, runKey} from './manifest.js'

const KINDS: readonly FactErrorKind[] = ['failed', 'missing_tool', 'permission', 'timeout', 'unsupported']

/** Reads a file of at most `max` bytes without following a link; null when it does not exist. */
async function readBounded(file: string, max: number): Promise<Buffer | null> {
  let handle
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const {size} = await handle.stat()
    if (size > max) throw new FactError('failed', `${file} is larger than ${max} bytes`)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

export async function readRecording(dir: string): Promise<RecordingManifest> {
  let raw: Buffer | null
  try {
    raw = await readBounded(join(dir, MANIFEST_FILE), MAX_MANIFEST_BYTES)
  } catch (error) {
    throw new UserError('facts.replay.bad', {dir, reason: (error as Error).message})
  }
  if (!raw) throw new UserError('facts.replay.noManifest', {dir})
  try {
    return checkManifest(JSON.parse(raw.toString('utf8')))
  } catch (error) {
    throw new UserError('facts.replay.bad', {dir, reason: (error as Error).message})
  }
}

export function replayExec(dir: string, manifest: RecordingManifest): Exec {
  const byKey = new Map(manifest.runs.map((run) => [run.key, run]))
  const seen = new Map<string, number>()
  return async (file, args, options) => {
    const key = numberedKey(runKey(file, args, options?.recordAs), seen)
    const run = byKey.get(key)
    if (!run) throw missingTool(toolName(file))
    if (run.error) throw new FactError(KINDS.includes(run.error.kind as FactErrorKind) ? (run.error.kind as FactErrorKind) : 'failed', run.error.message)
    const raw = await readBounded(join(dir, `${key}.out`), MAX_OUTPUT_BYTES)
    if (!raw) throw missingTool(toolName(file))
    const stderr = (await readBounded(join(dir, `${key}.err`), MAX_OUTPUT_BYTES))?.toString('utf8') ?? ''
    return {code: run.exit_code, raw, stderr, stdout: raw.toString('utf8')}
  }
}
