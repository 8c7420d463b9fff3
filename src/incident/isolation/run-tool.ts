// Small wrappers over the exec seam shared by the platform isolators.
import {execOk} from '../../os/spawn.js'
import {FactError} from '../../os/fact-error.js'
import type {Exec, ExecOptions, ExecResult} from '../../facts/types.js'

export const isMissingTool = (error: unknown): boolean => error instanceof FactError && error.kind === 'missing_tool'

/** Runs a program; null when it is not installed (any other failure still throws). */
export async function runIfPresent(exec: Exec, file: string, args: string[], options?: ExecOptions): Promise<ExecResult | null> {
  try {
    return await exec(file, args, options)
  } catch (error) {
    if (isMissingTool(error)) return null
    throw error
  }
}

/** stdout of a program that exited 0, or null when it is missing or failed (snapshot: record what we can). */
export async function stdoutOrNull(exec: Exec, file: string, args: string[]): Promise<null | string> {
  try {
    const result = await exec(file, args)
    return result.code === 0 ? result.stdout : null
  } catch (error) {
    if (error instanceof FactError) return null
    throw error
  }
}

export {execOk}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))
