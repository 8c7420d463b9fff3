// A planned command as one readable line (what --dry-run prints and the plan tests compare).
// Display only: commands always run as argument arrays, never through a shell.
import type {PlannedCommand} from '../types.js'

// Backslashes stay as they are: they are Windows path separators far more often than escapes.
const quote = (arg: string): string => (arg === '' || /[\s"'$`;&|<>(){}*?]/.test(arg) ? `"${arg.replaceAll(/(["$`])/g, '\\$1')}"` : arg)

export const renderCommand = (command: PlannedCommand): string =>
  [command.file, ...command.args].map(quote).join(' ') + (command.input === undefined ? '' : ' <<stdin')
