// Another user's files, read as root: the attacks a local user can plant in their own home.
import {chownSync, linkSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execFileSync} from 'node:child_process'

import {expect} from 'chai'

import {readUserFile} from '../../src/os/read-user-file.js'
import {fakeRoot, removeFakeRoots} from '../facts/linux/fake-root.js'
import {isRoot, requirePart} from '../helpers/require-part.js'

const LIMIT = {maxBytes: 1024}

describe('readUserFile (a file in another user\'s folder)', () => {
  after(removeFakeRoots)

  it('reads a regular file below the folder, and says when there is none', async () => {
    const home = fakeRoot({'.config/nm-guard/accounts.json': '{"accounts": []}'})
    const read = await readUserFile(home, ['.config', 'nm-guard', 'accounts.json'], LIMIT)
    expect('bytes' in read && read.bytes.toString()).to.equal('{"accounts": []}')
    expect(await readUserFile(home, ['.config', 'missing.json'], LIMIT)).to.have.property('missing', true)
    expect(await readUserFile(join(home, 'no-such-home'), ['x'], LIMIT)).to.have.property('missing', true)
  })

  it('does not follow a link planted as the file or as a folder on the way to it', async () => {
    const home = fakeRoot({
      '.config/nm-guard/accounts.json': {symlink: '/etc/shadow'},
      'sneaky/.config': {symlink: '/etc'},
    })
    const planted = await readUserFile(home, ['.config', 'nm-guard', 'accounts.json'], LIMIT)
    expect(planted).to.deep.equal({error: `${join(home, '.config', 'nm-guard', 'accounts.json')} is a link: not followed`, path: join(home, '.config', 'nm-guard', 'accounts.json')})
    const viaFolder = await readUserFile(join(home, 'sneaky'), ['.config', 'shadow'], LIMIT)
    expect(viaFolder).to.have.property('error').that.matches(/sneaky\/\.config is a link: not followed/)
    expect(JSON.stringify([planted, viaFolder])).to.not.match(/root:/)
  })

  it('refuses a file larger than the limit, a FIFO, and a hard link, with the reason', async () => {
    const home = fakeRoot({big: Buffer.alloc(LIMIT.maxBytes + 1, 0x7b), target: 'someone else\'s'})
    expect(await readUserFile(home, ['big'], LIMIT)).to.have.property('error').that.matches(/is 1025 bytes, more than the 1024 accepted/)
    execFileSync('mkfifo', [join(home, 'fifo')])
    expect(await readUserFile(home, ['fifo'], LIMIT)).to.have.property('error').that.matches(/is not a regular file/)
    linkSync(join(home, 'target'), join(home, 'hardlink'))
    expect(await readUserFile(home, ['hardlink'], LIMIT)).to.have.property('error').that.matches(/2 names \(a hard link\)/)
  })

  it('reads only files owned by the user or root', async function () {
    requirePart(this, isRoot(), 'running as root (to give a file another owner)')
    const home = fakeRoot({mine: '{}', theirs: '{}'})
    mkdirSync(join(home, 'd'))
    writeFileSync(join(home, 'd', 'f'), '{}')
    chownSync(join(home, 'mine'), 1000, 1000)
    chownSync(join(home, 'theirs'), 1001, 1001)
    expect(await readUserFile(home, ['mine'], {...LIMIT, uids: [1000, 0]})).to.have.property('bytes')
    expect(await readUserFile(home, ['d', 'f'], {...LIMIT, uids: [1000, 0]})).to.have.property('bytes')
    expect(await readUserFile(home, ['theirs'], {...LIMIT, uids: [1000, 0]})).to.have.property('error').that.matches(/owned by uid 1001, not by the user/)
  })
})
