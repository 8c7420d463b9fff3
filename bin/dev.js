#!/usr/bin/env node
// Runs the TypeScript sources directly (no build): oclif registers tsx itself in development
// mode. The root plugin is loaded with ignoreManifest, so a stale oclif.manifest.json (made by
// the last build) never sends a command to old code in dist/.
import {execute, Plugin} from '@oclif/core'

const root = new URL('..', import.meta.url).pathname
process.env.NODE_ENV = 'development'
const self = new Plugin({ignoreManifest: true, isRoot: true, root})
await self.load()
const help = new Plugin({root: new URL('../node_modules/@oclif/plugin-help/', import.meta.url).pathname, type: 'core'})
await help.load()
await execute({
  development: true,
  loadOptions: {plugins: new Map([[self.name, self], [help.name, help]]), root},
})
