#!/usr/bin/env node
// `--version` is answered before loading oclif (~250 ms of imports): schedulers and fleet
// scripts call it often. Same text as oclif's own.
import {readFileSync} from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`nm-guard/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('../dist/cli/run.js')
  await execute({dir: import.meta.url})
}
