// What the MSI and the portable zip both hold: the staged win32-x64 tree plus the launcher, listed
// in one fixed order so two builds of the same tree give the same package contents.
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

import type {StagedTree} from './stage.js'
import {writeLauncher} from './windows-launcher.js'

/** The version the staged app reports (`nm-guard --version`), from its own package.json. */
export function appVersion(staged: StagedTree): string {
  return (JSON.parse(readFileSync(join(staged.app, 'package.json'), 'utf8')) as {version: string}).version
}

export const windowsPackageName = (version: string, ext: 'msi' | 'zip'): string => `nm-guard-agent-${version}-win-x64.${ext}`

/**
 * Writes nm-guard.cmd into the tree, then lists every file as a `/`-separated path relative to the
 * tree, sorted by code unit (not locale), so the order never depends on the build machine.
 */
export function windowsFiles(staged: StagedTree): string[] {
  writeLauncher(staged.dir)
  return readdirSync(staged.dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => relative(staged.dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
