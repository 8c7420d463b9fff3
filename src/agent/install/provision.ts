// `nm-guard provision`: what a package does at install time and each scheduled run repeats until
// it works. It merges the settings it was given into agent.conf, enrolls when the PC is not yet
// enrolled and agent.conf says where, and removes the one-time token from agent.conf once spent.
// A failed enrollment is an outcome, not an error: an install must not fail because the collector
// was down, and the next scheduled run tries again.
import {lstat} from 'node:fs/promises'
import {dirname} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {UserError} from '../../cli/user-error.js'
import {enroll} from '../enrollment.js'
import {loadEnrollment} from '../identity.js'
import {type AgentPaths, agentPaths} from '../paths.js'
import {type AgentConf, agentConfPath, CONF_KEYS, type ConfKey, parseAgentConf, renderAgentConf, scrubToken} from './agent-conf.js'
import {blankInPlace, readConfText, writeConf} from './conf-file.js'
import {lockDown} from './lock-down.win32.js'
import {currentPlatform} from '../../os/platform.js'
import {exec as realExec} from '../../os/spawn.js'
import {ensureRootDir} from '../../os/safe-dir.js'
import {withToolPaths} from '../../os/tools.js'
import type {Exec, Platform} from '../../os/types.js'

export type EnrollOutcome = 'already-enrolled' | 'enrolled' | 'failed' | 'not-configured'

export interface ProvisionResult {
  conf: string
  enrollment: EnrollOutcome
  agent_id?: string
  url?: string
  /** Why enrollment failed (a UserError, translated by the command). */
  error?: UserError
  /** Settings agent.conf still lacks before enrollment can be tried. */
  missing?: ConfKey[]
  token_removed: boolean
  /** Windows: icacls steps that failed while restricting the state folder. */
  lock_down_failures?: string[]
}

export interface ProvisionOptions {
  /** Settings given on the command line (the MSI's properties); empty values are ignored. */
  settings?: AgentConf
  conf?: string
  paths?: AgentPaths
  timeoutMs?: number
  now?: () => Date
  platform?: Platform
  exec?: Exec
}

function given(settings: AgentConf | undefined): AgentConf {
  const out: AgentConf = {}
  for (const key of CONF_KEYS) {
    const value = settings?.[key]?.trim()
    if (value) out[key] = value
  }
  return out
}

async function removeToken(file: string, text: string, conf: AgentConf, now: Date): Promise<boolean> {
  if (!conf.ENROLL_TOKEN) return false
  await blankInPlace(file, conf.ENROLL_TOKEN)
  await writeConf(file, scrubToken(text, now))
  return true
}

/**
 * A user can create %ProgramData%\nm-guard before nm-guard is installed, as a junction to a folder of
 * theirs: SYSTEM would then write the agent's key there. A link (Node reports junctions as links)
 * where the state folder should be is refused.
 */
async function refuseLinks(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    const info = await lstat(dir).catch(() => null)
    if (info?.isSymbolicLink()) throw new UserError('provision.stateDirLink', {dir}, EXIT.error)
  }
}

export async function provision(options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const file = options.conf ?? agentConfPath()
  const paths = options.paths ?? agentPaths()
  const now = options.now ?? (() => new Date())
  const fromFlags = given(options.settings)
  const platform = options.platform ?? currentPlatform()

  // Windows: restrict the folders before anything secret is written into them.
  let lockDownFailures: string[] | undefined
  if (platform === 'win32') {
    await refuseLinks([dirname(paths.dir), paths.dir])
    ensureRootDir(paths.dir)
    lockDownFailures = await lockDown(withToolPaths(options.exec ?? realExec, platform), dirname(paths.dir))
  }

  let text = (await readConfText(file)) ?? ''
  let conf = parseAgentConf(text, file)
  if (Object.keys(fromFlags).length > 0) {
    conf = {...conf, ...fromFlags}
    text = renderAgentConf(conf)
    await writeConf(file, text)
  }

  const base = {conf: file, ...(lockDownFailures ? {lock_down_failures: lockDownFailures} : {})}
  const existing = await loadEnrollment(paths)
  if (existing) {
    // Enrolled already (an upgrade, a second run): a token still here is spent or unneeded.
    return {...base, agent_id: existing.agent_id, enrollment: 'already-enrolled', token_removed: await removeToken(file, text, conf, now()), url: existing.url}
  }
  const missing = CONF_KEYS.filter((key) => !conf[key])
  if (missing.length > 0) return {...base, enrollment: 'not-configured', missing, token_removed: false}

  try {
    const done = await enroll({
      caFingerprint: conf.CA_FINGERPRINT as string,
      force: false,
      paths,
      timeoutMs: options.timeoutMs,
      token: conf.ENROLL_TOKEN as string,
      url: conf.COLLECTOR_URL as string,
    })
    return {...base, agent_id: done.agent_id, enrollment: 'enrolled', token_removed: await removeToken(file, text, conf, now()), url: done.url}
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {...base, enrollment: 'failed', error, token_removed: false}
  }
}

/** Exit code of a provisioning run: 0 unless told to be strict (a script that must know). */
export function provisionExit(result: ProvisionResult, strict: boolean): number {
  if (!strict || result.enrollment === 'enrolled' || result.enrollment === 'already-enrolled') return EXIT.ok
  return result.error?.exitCode ?? EXIT.error
}
