// nm-guard.cmd, beside node.exe in the MSI's install folder and the portable zip: what PATH finds
// when an administrator types `nm-guard`. It runs the bundled Node on the app, so the PC needs no
// Node of its own.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const LAUNCHER_NAME = 'nm-guard.cmd'

/**
 * %~dp0 is read inside a called label because cmd resolves it against the current folder when the
 * script was started by a quoted name found on PATH (npm's cmd-shim does the same). `exit /b` hands
 * node's exit code (3 = not compliant) to the caller, including `cmd /c` and scheduled tasks;
 * `setlocal` keeps dp0 out of the caller's environment. CRLF: cmd misparses labels on LF-only lines.
 */
export const LAUNCHER_TEXT = [
  '@echo off',
  'setlocal',
  'call :dp0',
  '"%dp0%node.exe" "%dp0%app\\bin\\run.js" %*',
  'exit /b %ERRORLEVEL%',
  ':dp0',
  'set "dp0=%~dp0"',
  'exit /b',
  '',
].join('\r\n')

/** Writes the launcher into a staged Windows tree (beside node.exe); returns its path. */
export function writeLauncher(dir: string): string {
  const file = join(dir, LAUNCHER_NAME)
  writeFileSync(file, LAUNCHER_TEXT)
  return file
}
