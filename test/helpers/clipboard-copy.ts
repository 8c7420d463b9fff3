// Copies argv[2] (read from stdin, never argv: the test passes it on stdin) to the clipboard with
// a clear after argv[2] seconds, then exits at once: the clearing must outlive this process.
import {copyAndClear, findClipboard} from '../../src/accounts/clipboard.js'
import {readLine} from '../../src/accounts/password-input.js'

const secret = await readLine(process.stdin)
await copyAndClear(findClipboard(), secret, Number(process.argv[2]))
process.exit(0)
