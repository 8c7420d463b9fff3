// agent.conf on disk: read without following links or reading without bound, written owner-only
// and atomically, and the token's old bytes overwritten before the scrubbed copy replaces them.
import {chownSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {MAX_CONF_BYTES} from '../../../src/agent/install/agent-conf.js'
import {blankInPlace, readConfText, writeConf} from '../../../src/agent/install/conf-file.js'
import {EXIT} from '../../../src/cli/exit-codes.js'
import {refusal} from '../../helpers/refusal.js'

const TOKEN = 'nmg_enroll_BlankMeOut42'
const fresh = () => mkdtempSync(join(tmpdir(), 'nmg-conf-file-'))


describe('agent.conf file access', () => {
  describe('readConfText', () => {
    it('returns the text of a regular file', async () => {
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, 'COLLECTOR_URL=https://c.example\n')
      expect(await readConfText(file)).to.equal('COLLECTOR_URL=https://c.example\n')
    })

    it('returns null when the file or its folder is missing', async () => {
      const dir = fresh()
      expect(await readConfText(join(dir, 'agent.conf'))).to.equal(null)
      expect(await readConfText(join(dir, 'no-such-folder', 'agent.conf'))).to.equal(null)
    })

    it('refuses a symbolic link at the file, without reading its target', async () => {
      const dir = fresh()
      const target = join(dir, 'elsewhere.conf')
      writeFileSync(target, `ENROLL_TOKEN=${TOKEN}\n`)
      const file = join(dir, 'agent.conf')
      symlinkSync(target, file)
      const error = await refusal(readConfText(file))
      expect(error.key).to.equal('provision.confUnreadable')
      expect(error.exitCode).to.equal(EXIT.error)
      expect(String(error.params.reason)).to.match(/is a link: not followed/)
      expect(JSON.stringify(error.params)).to.not.include(TOKEN)
    })

    it('refuses a file bigger than MAX_CONF_BYTES', async () => {
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, `# ${'x'.repeat(MAX_CONF_BYTES)}\n`)
      const error = await refusal(readConfText(file))
      expect(error.key).to.equal('provision.confUnreadable')
      expect(String(error.params.reason)).to.include(`more than the ${MAX_CONF_BYTES} accepted`)
    })

    it('refuses a file owned by another user (when the test can chown)', async function () {
      if (typeof process.getuid !== 'function' || process.getuid() !== 0) this.skip()
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, `ENROLL_TOKEN=${TOKEN}\n`)
      chownSync(file, 4242, 4242)
      const error = await refusal(readConfText(file))
      expect(error.key).to.equal('provision.confUnreadable')
      expect(String(error.params.reason)).to.include('owned by uid 4242')
    })

    it('reads a file of exactly MAX_CONF_BYTES', async () => {
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, '#'.repeat(MAX_CONF_BYTES))
      expect((await readConfText(file))?.length).to.equal(MAX_CONF_BYTES)
    })
  })

  describe('writeConf', () => {
    it('creates the parent folder and a 0600 file, replacing an existing one atomically', async function () {
      if (process.platform === 'win32') this.skip()
      const file = join(fresh(), 'etc', 'nm-guard', 'agent.conf')
      await writeConf(file, 'COLLECTOR_URL=https://c.example\n')
      expect(readFileSync(file, 'utf8')).to.equal('COLLECTOR_URL=https://c.example\n')
      expect(statSync(file).mode & 0o777).to.equal(0o600)
      const before = statSync(file).ino
      await writeConf(file, 'second\n')
      expect(readFileSync(file, 'utf8')).to.equal('second\n')
      expect(statSync(file).mode & 0o777).to.equal(0o600)
      // A new file renamed over the old one, not the old one rewritten.
      expect(statSync(file).ino).to.not.equal(before)
    })

    it('makes a file 0600 even when the old one was world-readable', async function () {
      if (process.platform === 'win32') this.skip()
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, 'old\n', {mode: 0o644})
      await writeConf(file, 'new\n')
      expect(statSync(file).mode & 0o777).to.equal(0o600)
    })
  })

  describe('blankInPlace', () => {
    it('overwrites every occurrence with spaces in the same file (same inode, same size)', async () => {
      const file = join(fresh(), 'agent.conf')
      const text = `# first\nENROLL_TOKEN=${TOKEN}\r\nCOLLECTOR_URL=https://c.example\nenroll_token = "${TOKEN}"\n${TOKEN}${TOKEN}\n`
      writeFileSync(file, text)
      const before = statSync(file)
      await blankInPlace(file, TOKEN)
      const after = statSync(file)
      expect([after.ino, after.dev, after.size]).to.deep.equal([before.ino, before.dev, before.size])
      const bytes = readFileSync(file)
      expect(bytes.includes(Buffer.from(TOKEN))).to.equal(false)
      const blank = ' '.repeat(TOKEN.length)
      expect(bytes.toString('utf8')).to.equal(`# first\nENROLL_TOKEN=${blank}\r\nCOLLECTOR_URL=https://c.example\nenroll_token = "${blank}"\n${blank}${blank}\n`)
    })

    it('blanks a non-ASCII secret by its UTF-8 bytes', async () => {
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, 'ENROLL_TOKEN=令牌abc\n')
      await blankInPlace(file, '令牌abc')
      expect(readFileSync(file, 'utf8')).to.equal(`ENROLL_TOKEN=${' '.repeat(Buffer.byteLength('令牌abc'))}\n`)
    })

    it('leaves the file alone for an empty secret or one that is not there', async () => {
      const file = join(fresh(), 'agent.conf')
      writeFileSync(file, 'COLLECTOR_URL=https://c.example\n')
      await blankInPlace(file, '')
      await blankInPlace(file, TOKEN)
      expect(readFileSync(file, 'utf8')).to.equal('COLLECTOR_URL=https://c.example\n')
    })

    it('does not write through a symbolic link', async function () {
      if (process.platform === 'win32') this.skip()
      const dir = fresh()
      const target = join(dir, 'other')
      writeFileSync(target, `ENROLL_TOKEN=${TOKEN}\n`)
      const link = join(dir, 'agent.conf')
      symlinkSync(target, link)
      let code: string | undefined
      try {
        await blankInPlace(link, TOKEN)
      } catch (error) {
        code = (error as NodeJS.ErrnoException).code
      }
      expect(code).to.equal('ELOOP')
      expect(readFileSync(target, 'utf8')).to.equal(`ENROLL_TOKEN=${TOKEN}\n`)
    })
  })
})
