// The keychain against a real Secret Service (gnome-keyring on a private D-Bus session). Each
// scenario runs in its own process: libdbus reads the session address once per process.
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {expect} from 'chai'

import {assertStorable, keychainUnavailable, KEYCHAIN_SERVICE} from '../../src/accounts/keychain.js'
import {requirePart} from '../helpers/require-part.js'
import {ROOT} from '../helpers/run-cli.js'
import {SECRET_SERVICE_PACKAGES, secretServicePresent, startSecretService, type SecretServiceSession} from '../helpers/secret-service.js'

describe('keychain', function () {
  this.timeout(60_000)

  it('names the remedy of each platform', () => {
    expect(keychainUnavailable('linux', new Error('DBus error: no bus\nmore')).detail?.key).to.equal('keychain.remedy.linux')
    expect(keychainUnavailable('win32', new Error('x')).detail?.key).to.equal('keychain.remedy.win32')
    expect(keychainUnavailable('darwin', new Error('x'))).to.include({exitCode: 1, key: 'keychain.unavailable'})
    expect(keychainUnavailable('linux', new Error('DBus error: no bus\nmore')).params).to.deep.equal({reason: 'DBus error: no bus'})
    expect(() => assertStorable('x'.repeat(1281))).to.throw().with.property('key', 'keychain.tooLong')
  })

  describe('on Linux, against a real Secret Service', () => {
    let session: SecretServiceSession | undefined

    before(function () {
      if (process.platform !== 'linux') this.skip()
      requirePart(this, secretServicePresent(), SECRET_SERVICE_PACKAGES)
    })

    after(() => session?.stop())

    it('fails with the Linux remedy, never a fallback, when there is no D-Bus session', () => {
      const results = probe({DBUS_SESSION_BUS_ADDRESS: ''}, [['get', 'wechat/gcfb'], ['set', 'wechat/gcfb', 'Kx9#vTq2!mWz'], ['delete', 'wechat/gcfb']])
      for (const result of results) expect(result).to.have.nested.property('error.detail.key', 'keychain.remedy.linux')
    })

    it('fails when the bus has no unlocked keyring', async () => {
      const locked = await startSecretService({unlock: false})
      try {
        const [result] = probe(locked.env, [['set', 'wechat/gcfb', 'Kx9#vTq2!mWz']])
        expect(result).to.have.nested.property('error.key', 'keychain.unavailable')
      } finally {
        await locked.stop()
      }
    })

    it('stores, reads and deletes secrets in the Secret Service', async () => {
      session = await startSecretService()
      const secret = '藁城@Gc 2026 "quoted" \\ end'
      const name = 'weibo/藁城发布'
      const results = probe(session.env, [['get', name], ['set', name, secret], ['get', name]])
      expect(results).to.deep.equal([{value: null}, {}, {value: secret}])
      // Other Secret Service clients see it under service nm-guard: it is the real store.
      const looked = execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', name], {env: {...process.env, ...session.env}}).toString()
      expect(looked).to.equal(secret)
      const after = probe(session.env, [['set', name, 'second'], ['get', name], ['delete', name], ['delete', name], ['get', name]])
      expect(after).to.deep.equal([{}, {value: 'second'}, {value: true}, {value: false}, {value: null}])
    })
  })
})

function probe(env: Record<string, string>, ops: Array<[string, string, string?]>): unknown[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'keychain-probe.ts'), JSON.stringify(ops)], {cwd: ROOT, env: {...process.env, ...env}})
  return JSON.parse(out.toString()) as unknown[]
}
