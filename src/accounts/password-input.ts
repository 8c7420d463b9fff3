// Reading a new password: a hidden prompt on the terminal, asked twice, or one line of standard
// input (--password-stdin). Nothing is echoed, and the password is never part of an error.
import {createInterface} from 'node:readline'
import type {Readable, Writable} from 'node:stream'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'

export type TtyInput = Readable & {isTTY?: boolean; setRawMode?: (mode: boolean) => unknown}

/** The first line of `input` without its line ending ('' when the input is empty). */
export function readLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({crlfDelay: Infinity, input, terminal: false})
    let done = false
    rl.once('line', (line) => {
      done = true
      rl.close()
      input.pause()
      resolve(line)
    })
    rl.once('close', () => {
      if (!done) resolve('')
    })
    input.once('error', reject)
  })
}

/** Asks on `output` (stderr) and reads keystrokes in raw mode, showing nothing. */
export function promptHidden(question: string, input: TtyInput, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question)
    let chars: string[] = []
    const finish = (error?: Error) => {
      input.off('data', onData)
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(chars.join(''))
    }
    const onData = (chunk: Buffer | string) => {
      const text = chunk.toString()
      // Arrow and function keys arrive as escape sequences: not part of a password.
      if (text.startsWith('\u001B')) return
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003' || (ch === '\u0004' && chars.length === 0)) return finish(new UserError('account.cancelled', {}, EXIT.error))
        if (ch === '\u007F' || ch === '\b') chars = chars.slice(0, -1)
        else if (ch === '\u0015') chars = [] // Ctrl-U: start again
        else if (ch >= ' ') chars.push(ch)
      }
    }
    input.setRawMode?.(true)
    input.setEncoding?.('utf8')
    input.resume()
    input.on('data', onData)
  })
}

export interface NewPasswordOptions {
  /** --password-stdin */
  fromStdin: boolean
  /** --json: never prompt. */
  json: boolean
  prompt: string
  again: string
  input?: TtyInput
  output?: Writable
}

/** A new password: one stdin line, or the hidden prompt twice (the two must match). */
export async function readNewPassword(options: NewPasswordOptions): Promise<string> {
  const input = options.input ?? (process.stdin as TtyInput)
  const output = options.output ?? process.stderr
  if (options.fromStdin) return readLine(input)
  if (options.json || !input.isTTY) throw new UserError('account.noTerminal', {}, EXIT.usage)
  const first = await promptHidden(options.prompt, input, output)
  const second = await promptHidden(options.again, input, output)
  if (first !== second) throw new UserError('account.passwordMismatch')
  return first
}
