// The OS layer's seams: how programs are run, and which platform we are on.

export type Platform = 'darwin' | 'linux' | 'win32'
export const PLATFORMS: readonly Platform[] = ['linux', 'win32', 'darwin']

export interface ExecOptions {
  timeoutMs?: number
  env?: Record<string, string | undefined>
  input?: Buffer | string
  /** Largest stdout accepted, in bytes. */
  maxBuffer?: number
  /** The name this run's output is saved under by `facts --record` (default: from the command line). */
  recordAs?: string
}

export interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
  /** The undecoded stdout, for parsers that must sniff an encoding. */
  raw: Buffer
}

/** Runs one program with an argument array: never a shell. Throws FactError when it cannot start or times out. */
export type Exec = (file: string, args: string[], options?: ExecOptions) => Promise<ExecResult>
