// The clipboard on a real X server (Xvfb) with xclip: copied, then cleared by a detached child
// after the copying process has exited, unless the clipboard was changed in the meantime.
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {expect} from 'chai'

import {clipboardCandidates, findClipboard} from '../../src/accounts/clipboard.js'
import {requirePart} from '../helpers/require-part.js'
import {ROOT} from '../helpers/run-cli.js'
import {startXvfb, XVFB_PACKAGES, xvfbPresent, type XSession} from '../helpers/xvfb.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('clipboard', function () {
  this.timeout(30_000)

  it('picks the tool of the session: Wayland, then X11, then none', () => {
    expect(clipboardCandidates('linux', {WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0'}).map((t) => t.name)).to.deep.equal(['wl-copy', 'xclip', 'xsel'])
    expect(clipboardCandidates('linux', {DISPLAY: ':0'}).map((t) => t.name)).to.deep.equal(['xclip', 'xsel'])
    expect(clipboardCandidates('linux', {})).to.deep.equal([])
    expect(clipboardCandidates('darwin', {}).map((t) => t.copy[0])).to.deep.equal(['/usr/bin/pbcopy'])
    expect(clipboardCandidates('win32', {}).map((t) => t.copy[0])).to.deep.equal(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'])
  })

  it('runs every clipboard program by its system path, never through PATH', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      for (const tool of clipboardCandidates(platform, {DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0'})) {
        for (const command of [tool.copy, tool.paste, tool.clear]) expect(command[0], `${platform} ${tool.name}`).to.match(/^(\/usr\/s?bin\/|\/s?bin\/|C:\\Windows\\System32\\)/)
      }
    }
  })

  it('is a clear error where there is no clipboard', () => {
    expect(() => findClipboard('linux', {PATH: process.env.PATH})).to.throw().with.property('key', 'account.noClipboard')
    // A PATH holding xclip does not count: only the system directories do.
    expect(() => findClipboard('linux', {DISPLAY: ':0', PATH: process.env.PATH}, () => false)).to.throw().with.property('key', 'account.noClipboard')
  })

  describe('on Xvfb with xclip', () => {
    let x: XSession | undefined
    // The fixture copies with a clear after `seconds` and exits at once; the secret goes on stdin.
    const copyWithClear = (secret: string, seconds: number) =>
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'clipboard-copy.ts'), String(seconds)], {
        cwd: ROOT,
        env: {...process.env, ...x?.env},
        input: `${secret}\n`,
        timeout: 15_000,
      })

    before(async function () {
      if (process.platform !== 'linux') this.skip()
      requirePart(this, xvfbPresent(), XVFB_PACKAGES)
      x = await startXvfb()
    })

    after(() => x?.stop())

    it('clears the password after the copying process has exited', async () => {
      copyWithClear('Kx9#vTq2 藁城!', 2)
      expect(x?.paste()).to.equal('Kx9#vTq2 藁城!')
      await sleep(3500)
      expect(x?.paste()).to.equal('')
    })

    it('leaves the clipboard alone when it no longer holds the password', async () => {
      copyWithClear('Kx9#vTq2!mWz', 2)
      x?.copy('something the user copied since')
      await sleep(3500)
      expect(x?.paste()).to.equal('something the user copied since')
    })
  })
})
