import {PassThrough, Readable} from 'node:stream'

import {expect} from 'chai'

import {promptHidden, readLine, readNewPassword} from '../../src/accounts/password-input.js'

/** A stand-in terminal: keystrokes are written to it; raw mode is recorded. */
function fakeTty(keys: string[]) {
  const input = new PassThrough() as PassThrough & {isTTY: boolean; raw: boolean[]; setRawMode: (m: boolean) => void}
  input.isTTY = true
  input.raw = []
  input.setRawMode = (mode: boolean) => void input.raw.push(mode)
  let shown = ''
  const output = new PassThrough()
  output.on('data', (d: Buffer) => (shown += d.toString()))
  // Keys arrive one chunk at a time, after the prompt is up.
  const feed = async () => {
    for (const key of keys) {
      await new Promise((resolve) => setImmediate(resolve))
      input.write(key)
    }
  }
  return {feed, input, output, shown: () => shown}
}

describe('password input', () => {
  it('reads one line of stdin, keeping spaces, dropping the line ending', async () => {
    expect(await readLine(Readable.from([' pass word \r\nsecond line\n']))).to.equal(' pass word ')
    expect(await readLine(Readable.from(['no newline']))).to.equal('no newline')
    expect(await readLine(Readable.from([]))).to.equal('')
  })

  it('prompts without echoing, honouring backspace and Ctrl-U, and leaves raw mode', async () => {
    const tty = fakeTty(['Wrong', '\u0015', 'Gc#', 'x', '\u007F', '2026', '\u001B[A', '!\r'])
    const [password] = await Promise.all([promptHidden('Password: ', tty.input, tty.output), tty.feed()])
    expect(password).to.equal('Gc#2026!')
    expect(tty.shown()).to.equal('Password: \n')
    expect(tty.input.raw).to.deep.equal([true, false])
  })

  it('asks twice and refuses two different answers', async () => {
    const same = fakeTty(['Kx9#vTq2!mWz\r', 'Kx9#vTq2!mWz\r'])
    const options = {again: 'Again: ', fromStdin: false, json: false, prompt: 'Password: '}
    const [password] = await Promise.all([readNewPassword({...options, input: same.input, output: same.output}), same.feed()])
    expect(password).to.equal('Kx9#vTq2!mWz')
    const differ = fakeTty(['Kx9#vTq2!mWz\r', 'Kx9#vTq2!mWy\r'])
    const [error] = await Promise.all([readNewPassword({...options, input: differ.input, output: differ.output}).catch((e: unknown) => e), differ.feed()])
    expect(error).to.include({key: 'account.passwordMismatch'})
    expect(differ.shown()).not.to.include('Kx9')
  })

  it('is cancelled by Ctrl-C', async () => {
    const tty = fakeTty(['abc', '\u0003'])
    const [error] = await Promise.all([promptHidden('Password: ', tty.input, tty.output).catch((e: unknown) => e), tty.feed()])
    expect(error).to.include({key: 'account.cancelled'})
  })

  it('never prompts under --json or without a terminal (exit 2)', async () => {
    const options = {again: 'Again: ', fromStdin: false, prompt: 'Password: '}
    const tty = fakeTty([])
    expect(await readNewPassword({...options, input: tty.input, json: true}).catch((e: unknown) => e)).to.include({exitCode: 2, key: 'account.noTerminal'})
    expect(await readNewPassword({...options, input: Readable.from(['x\n']), json: false}).catch((e: unknown) => e)).to.include({key: 'account.noTerminal'})
  })
})
