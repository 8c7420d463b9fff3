// Writes a command's --output file, turning a failure into the user's one-line error.
import {writeFile} from 'node:fs/promises'

import {UserError} from './user-error.js'

export async function writeOutputFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`)
  } catch (error) {
    throw new UserError('file.unwritable', {file, reason: (error as NodeJS.ErrnoException).code ?? String(error)})
  }
}
