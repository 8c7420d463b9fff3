// Windows: the machine-wide state folder sits under %ProgramData%, where any user may create
// folders. A user who made %ProgramData%\nm-guard first would own it and could read the agent's
// key and the enrollment token. Provisioning (as SYSTEM or an administrator) therefore takes the
// folder over: Administrators own everything in it, every explicit entry is dropped, the folder
// allows SYSTEM and Administrators full control and users only reading (the audit's own files),
// and the agent's folder (identity and agent.conf) allows SYSTEM and Administrators only: files
// written there later, by atomic rename included, inherit that.
import {win32} from 'node:path'

import type {Exec} from '../../os/types.js'

const SYSTEM = '*S-1-5-18'
const ADMINISTRATORS = '*S-1-5-32-544'
const USERS = '*S-1-5-32-545'

/** The icacls runs, in order (SIDs, so the same words work on a Chinese Windows). */
export function lockDownCommands(stateDir: string): string[][] {
  const agentDir = win32.join(stateDir, 'agent')
  return [
    ['icacls', stateDir, '/setowner', ADMINISTRATORS, '/T', '/C', '/Q'],
    ['icacls', stateDir, '/reset', '/T', '/C', '/Q'],
    ['icacls', stateDir, '/inheritance:r', '/grant:r', `${SYSTEM}:(OI)(CI)F`, `${ADMINISTRATORS}:(OI)(CI)F`, `${USERS}:(OI)(CI)RX`, '/C', '/Q'],
    ['icacls', agentDir, '/inheritance:r', '/grant:r', `${SYSTEM}:(OI)(CI)F`, `${ADMINISTRATORS}:(OI)(CI)F`, '/C', '/Q'],
  ]
}

/** Runs them; a step that fails is reported, the others still run (each narrows access further). */
export async function lockDown(exec: Exec, stateDir: string): Promise<string[]> {
  const failures: string[] = []
  for (const [tool, ...args] of lockDownCommands(stateDir)) {
    // A step that cannot run at all (timed out, icacls missing) is a failed step too, not the end of provisioning.
    try {
      const result = await exec(tool as string, args, {timeoutMs: 60_000})
      if (result.code !== 0) failures.push(`icacls ${args[0]} ${args[1]}: exit ${result.code}`)
    } catch (error) {
      failures.push(`icacls ${args[0]} ${args[1]}: ${(error as Error).message}`)
    }
  }
  return failures
}
