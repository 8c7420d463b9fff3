// `nm-guard help` in a bundled build: oclif's help command as one of the app's own, because a
// bundled build loads no plugins from node_modules.
import {commands} from '@oclif/plugin-help'

export default commands.help
