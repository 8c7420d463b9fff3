// THIRD-PARTY-LICENSES.txt: the licence text of every npm package whose code a package carries
// (bundled, per esbuild's metafile, or copied as a native module), as their licences require.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

/** Package folders (relative to the project) of the bundle's inputs, nested node_modules included. */
export function packageDirs(inputs: readonly string[]): string[] {
  const dirs = new Set<string>()
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (m) dirs.add(m[1] as string)
  }
  return [...dirs].sort()
}

function licenceText(dir: string): null | string {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i.test(name))
  return file ? readFileSync(join(dir, file), 'utf8').trim() : null
}

/** The notice file's text; a package without a licence file is named with its declared licence. */
export function thirdPartyNotice(root: string, dirs: readonly string[]): string {
  const sections = dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const pjson = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {name?: string; version?: string; license?: string}
      const text = licenceText(join(root, dir)) ?? `(no licence file in the package; it declares: ${pjson.license ?? 'nothing'})`
      return `==== ${pjson.name}@${pjson.version} (${pjson.license ?? 'unknown'}) ====\n\n${text}\n`
    })
  return `Third-party software carried by this nm-guard package, with its licences.\nThe Node.js runtime's licence is node.LICENSE, beside the runtime.\n\n${sections.join('\n')}`
}
