// Builds NTUSER.DAT files with hivexsh (libhivex-bin) from an empty hive: values are given as
// hex so that Chinese survives (hivexsh takes only ASCII strings).
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'

import {emptyHive} from './empty-hive.js'

export const REG_SZ = 1
export const REG_EXPAND_SZ = 2

const hex = (type: number, text: string): string => `hex:${type}:${[...Buffer.from(`${text}\0`, 'utf16le')].map((b) => b.toString(16).padStart(2, '0')).join(',')}`

/** Writes a hive at `file` holding `keys` (path → value name → [type, text]). */
export function writeHive(file: string, keys: Record<string, Record<string, [number, string]>>): void {
  writeFileSync(file, emptyHive())
  const lines: string[] = []
  const made = new Set<string>()
  for (const [path, values] of Object.entries(keys)) {
    lines.push('cd \\')
    let sofar = ''
    for (const part of path.split('\\')) {
      sofar += `\\${part.toLowerCase()}`
      if (!made.has(sofar)) lines.push(`add ${part}`)
      made.add(sofar)
      lines.push(`cd ${part}`)
    }
    const entries = Object.entries(values)
    lines.push(`setval ${entries.length}`, ...entries.flatMap(([name, [type, text]]) => [name, hex(type, text)]))
  }
  lines.push('commit')
  execFileSync('hivexsh', ['-w', file], {input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 10_000})
}
