// `facts --record DIR` and `--replay DIR` around the one gathering: recording wraps the live exec;
// replay answers from the folder, with the recorded PC's platform, host and clock, so the same
// parsers give the same rows on any OS.
import {arch as osArch, hostname} from 'node:os'

import {packageVersion} from '../../config/package-version.js'
import {exec as realExec} from '../../os/spawn.js'
import {gatherFacts} from '../gather.js'
import type {FactsSnapshot} from '../types.js'
import {prepareRecordingDir, recordingExec} from './record-exec.js'
import {readRecording, replayExec} from './replay-exec.js'

export async function gatherRecorded(dir: string, tables?: string[]): Promise<FactsSnapshot> {
  await prepareRecordingDir(dir)
  const recorder = recordingExec(realExec, dir)
  const facts = await gatherFacts({context: {exec: recorder.exec}, tables})
  await recorder.finish({
    arch: osArch(),
    collected_at: facts.collected_at,
    hostname: hostname(),
    nm_guard_version: packageVersion(),
    os_name: facts.host.os_name,
    os_version: facts.host.os_version,
    platform: facts.host.platform,
  })
  return facts
}

export async function gatherReplayed(dir: string, tables?: string[]): Promise<FactsSnapshot> {
  const manifest = await readRecording(dir)
  const at = new Date(manifest.collected_at)
  return gatherFacts({
    context: {
      cached: (_key, _fingerprint, compute) => compute(),
      env: {},
      exec: replayExec(dir, manifest),
      now: () => at,
      replay: true,
      // Nothing of this machine's state may leak into a replayed PC's facts.
      stateDir: '',
    },
    host: {arch: manifest.arch, hostname: manifest.hostname},
    platform: manifest.platform,
    tables,
  })
}
