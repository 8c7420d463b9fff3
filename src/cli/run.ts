// The CLI's entry for bin/run.js: oclif's execute, loaded from here so that a bundled build (the
// packages) carries oclif inside its own chunks instead of needing node_modules/@oclif/core.
export {execute} from '@oclif/core'
