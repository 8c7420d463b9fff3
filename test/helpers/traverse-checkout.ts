// The checkout may sit below a 0700 folder (mktemp -d): an unprivileged user the test runs as must
// be let through for the length of the test, and the modes put back afterwards.
import {chmodSync, statSync} from 'node:fs'
import {dirname} from 'node:path'

import {ROOT} from './run-cli.js'

/** Adds o+x to every folder above the checkout that lacks it; returns what puts the modes back. */
export function openCheckoutToOthers(root: string = ROOT): () => void {
  const opened: Array<[string, number]> = []
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777
    if ((mode & 0o001) === 0) {
      opened.push([dir, mode])
      chmodSync(dir, mode | 0o001)
    }
  }
  return () => {
    for (const [dir, mode] of opened) chmodSync(dir, mode)
  }
}
