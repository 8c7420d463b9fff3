// macOS: ~/Desktop, ~/Documents and ~/Downloads of the user running nm-guard (Finder shows them
// as 桌面, 文稿, 下载 but the folders keep their English names). macOS asks the user before a
// program may read them (Files and Folders / Full Disk Access for the terminal or the agent): a
// refusal is reported as a permission problem, never as an empty folder.
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'

import type {CollectContext, Row} from '../types.js'
import {collectTargets, type PlaintextOptions} from './collect-scan.js'
import type {ScanTarget} from './scan-files.js'

export function darwinTargets(home: string, user: null | string): ScanTarget[] {
  return [
    {folder: 'desktop', path: join(home, 'Desktop'), user},
    {folder: 'documents', path: join(home, 'Documents'), user},
    {folder: 'downloads', path: join(home, 'Downloads'), user},
  ]
}

export async function collect(ctx: CollectContext, options: PlaintextOptions = {}): Promise<Row[]> {
  let user: null | string = ctx.env.USER ?? null
  try {
    user ??= userInfo().username
  } catch {
    // No passwd entry (rare): the rows say null.
  }
  return collectTargets(ctx, darwinTargets(ctx.env.HOME ?? homedir(), user), options)
}
