import {expect} from 'chai'

import {configDir} from '../../src/accounts/account-store.js'
import {applyDirFlags, dirFlagArgs} from '../../src/cli/dir-flags.js'
import {stateDir} from '../../src/config/state-dir.js'

describe('--state-dir / --config-dir', () => {
  it('turn the variables into one word each, and back into the folders every reader uses', () => {
    const installed = {NMG_CONFIG_DIR: 'C:\\Users\\张伟\\nm guard 配置', NMG_STATE_DIR: '-D:\\state\\'}
    const words = dirFlagArgs(installed)
    expect(words).to.deep.equal(['--config-dir=C:\\Users\\张伟\\nm guard 配置', '--state-dir=-D:\\state\\'])
    const env: Record<string, string | undefined> = {}
    expect(applyDirFlags(['audit', '--report', '--scheduled', ...words], env)).to.deep.equal(installed)
    expect(stateDir(env, 'win32')).to.equal('-D:\\state\\')
    expect(configDir(env, 'win32')).to.equal('C:\\Users\\张伟\\nm guard 配置')
  })

  it('reads the two-word form, and nothing after --', () => {
    const env: Record<string, string | undefined> = {NMG_STATE_DIR: '/old'}
    expect(applyDirFlags(['--state-dir', '/srv/nmg', '--', '--config-dir=/nope'], env)).to.deep.equal({NMG_STATE_DIR: '/srv/nmg'})
    expect(env).to.deep.equal({NMG_STATE_DIR: '/srv/nmg'})
    expect(dirFlagArgs({})).to.deep.equal([])
  })
})
