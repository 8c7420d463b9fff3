// Loaded with `node --import`, reports the process's own peak RSS on fd 3 as it exits.
import {writeSync} from 'node:fs'

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`)
  } catch {
    // fd 3 not open: run outside the benchmark
  }
})
