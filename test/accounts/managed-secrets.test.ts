import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {loadManagedSecrets} from '../../src/accounts/managed-secrets.js'
import type {SecretStore} from '../../src/accounts/types.js'
import {testContext} from '../helpers/fake-exec.js'
import {memorySecrets} from '../helpers/memory-secrets.js'

const record = (platform: string, account: string) => ({account, contact: null, created_at: '2026-11-01T00:00:00Z', custodian: '张三', fingerprint: 'f', forced: false, history: [], platform, rotated_at: '2026-11-01T00:00:00Z', strength_score: 4, weak_reasons: []})

function configWith(accounts: unknown[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'nmg-secrets-'))
  writeFileSync(join(dir, 'accounts.json'), JSON.stringify({accounts, key_id: null}))
  return {NMG_CONFIG_DIR: dir}
}

describe('loadManagedSecrets (what plaintext_secrets looks for inside files)', () => {
  it('reads the managed accounts’ passwords from the keychain', async () => {
    const keychain = memorySecrets()
    await keychain.set('weibo/gcq_gov', 'Xk9#mq2!Lp4z')
    await keychain.set('wechat/gcq-fabu', 'Tq7$wv1@Rz8n')
    const ctx = testContext('linux', {env: configWith([record('weibo', 'gcq_gov'), record('wechat', 'gcq-fabu')])})
    expect((await loadManagedSecrets(ctx, () => keychain)).sort()).to.deep.equal(['Tq7$wv1@Rz8n', 'Xk9#mq2!Lp4z'])
  })

  it('does not open the keychain when no account is managed', async () => {
    let opened = false
    const ctx = testContext('linux', {env: configWith([])})
    const secrets = await loadManagedSecrets(ctx, () => {
      opened = true
      return memorySecrets()
    })
    expect(secrets).to.deep.equal([])
    expect(opened).to.equal(false)
  })

  it('turns an unavailable keychain into a fact error naming the remedy, not a crash', async () => {
    const broken: SecretStore = {
      delete: async () => false,
      get: async () => {
        throw new UserError('keychain.unavailable', {reason: 'no Secret Service'})
      },
      set: async () => {},
    }
    const ctx = testContext('linux', {env: configWith([record('douyin', 'gc_douyin')])})
    const error = await loadManagedSecrets(ctx, () => broken).catch((e: Error) => e)
    expect(error).to.be.instanceOf(Error)
    expect((error as Error).message).to.match(/no Secret Service/)
  })
})
