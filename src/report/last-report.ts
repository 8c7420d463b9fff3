// The last audit report, kept under the state dir so `disconnect` can put it in the evidence even
// when the PC is already cut off from the collector. A report never holds a secret (DESIGN.md).
import {join} from 'node:path'

import {writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import {stateDir} from '../config/state-dir.js'

export const lastReportPath = (root: string = stateDir()): string => join(root, 'last-report.json')

export async function saveLastReport(report: unknown, root: string = stateDir()): Promise<void> {
  ensureRootDir(root, 0o700)
  await writeFileAtomic(lastReportPath(root), `${JSON.stringify(report, null, 2)}\n`)
}
