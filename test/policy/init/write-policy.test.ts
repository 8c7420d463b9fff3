import {lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../../src/cli/user-error.js'
import {writePolicyFile} from '../../../src/policy/init/write-policy.js'

const folder = (): string => mkdtempSync(join(tmpdir(), 'nmg-policy-write-'))

describe('policy init: writing the file', () => {
  it('writes a new file whole, readable by every account, leaving no temp file', async () => {
    const dir = folder()
    const file = join(dir, 'policy.yaml')
    await writePolicyFile(file, 'policy: {}\n', {force: false})
    expect(readFileSync(file, 'utf8')).to.equal('policy: {}\n')
    if (process.platform !== 'win32') expect(lstatSync(file).mode & 0o777).to.equal(0o644)
    expect(readdirSync(dir)).to.deep.equal(['policy.yaml'])
  })

  it('refuses to replace an existing file, or anything at its name, without --force', async () => {
    const dir = folder()
    const file = join(dir, 'policy.yaml')
    writeFileSync(file, 'old\n')
    const error = await writePolicyFile(file, 'new\n', {force: false}).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(UserError).with.property('key', 'policyInit.exists')
    expect(readFileSync(file, 'utf8')).to.equal('old\n')
    // A dangling link is something there too: nothing is created through it.
    const link = join(dir, 'linked.yaml')
    symlinkSync(join(dir, 'target.yaml'), link)
    expect(await writePolicyFile(link, 'new\n', {force: false}).catch((e: unknown) => e)).to.be.instanceOf(UserError)
    expect(readdirSync(dir).sort()).to.deep.equal(['linked.yaml', 'policy.yaml'])
  })

  it('with --force replaces the file, and a link at its name instead of writing through it', async () => {
    const dir = folder()
    const file = join(dir, 'policy.yaml')
    writeFileSync(file, 'old\n')
    await writePolicyFile(file, 'new\n', {force: true})
    expect(readFileSync(file, 'utf8')).to.equal('new\n')
    const target = join(dir, 'elsewhere.txt')
    writeFileSync(target, 'keep\n')
    const link = join(dir, 'linked.yaml')
    symlinkSync(target, link)
    await writePolicyFile(link, 'new\n', {force: true})
    expect(lstatSync(link).isSymbolicLink()).to.equal(false)
    expect(readFileSync(target, 'utf8')).to.equal('keep\n')
  })

  it('says which file cannot be written', async () => {
    const error = await writePolicyFile(join(folder(), 'missing', 'policy.yaml'), 'x\n', {force: false}).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(UserError).with.property('key', 'file.unwritable')
    expect((error as UserError).params).to.include({reason: 'ENOENT'})
  })
})
