import {expect} from 'chai'
import {join} from 'node:path'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseShellFolders} from '../../../src/facts/plaintext-secrets/plaintext-secrets.win32.js'
import {testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'
import {denied, psFixture, winContext} from '../win32/ps-fixtures.js'

const SECRET = 'Gc@Douyin#2024'
/** No managed accounts: names only. */
const NAMES_ONLY = {loadSecrets: async (): Promise<string[]> => []}

describe('plaintext_secrets (win32)', () => {
  after(removeFakeRoots)

  it('reads known folders redirected to OneDrive and another drive', () => {
    expect(parseShellFolders(psFixture('plaintext-secrets.json'))).to.deep.equal({
      folders: {
        desktop: ['C:\\Users\\xmt\\OneDrive\\桌面'],
        documents: ['C:\\Users\\xmt\\OneDrive\\文档'],
        downloads: ['D:\\下载'],
      },
      profile: 'C:\\Users\\xmt',
      user: 'xmt',
    })
  })

  it('expands what the registry left unexpanded, and drops what it cannot expand', () => {
    const parsed = parseShellFolders([
      {Desktop: 'C:\\Users\\张伟\\Desktop', Documents: null, ShellFolders: {'Personal': '%USERPROFILE%\\Documents', '{374DE290-123F-4565-9164-39C4925E467B}': '%NOSUCHVAR%\\Downloads'}, UserName: '张伟', UserProfile: 'C:\\Users\\张伟'},
    ])
    expect(parsed.folders).to.deep.equal({desktop: ['C:\\Users\\张伟\\Desktop'], documents: ['C:\\Users\\张伟\\Documents'], downloads: []})
    expect(parseShellFolders([]).folders).to.deep.equal({desktop: [], documents: [], downloads: []})
  })

  it('searches the known folders and the profile defaults beside them', async () => {
    const profile = fakeRoot({
      'Desktop/账号.txt': '',
      'OneDrive/桌面/微博密码.xlsx': 'x',
      'OneDrive/文档/交接.txt': `抖音 ${SECRET}`,
      'D-下载/password.txt': '',
    })
    const fragment = [{Desktop: join(profile, 'OneDrive', '桌面'), Documents: join(profile, 'OneDrive', '文档'), OneDrive: join(profile, 'OneDrive'), ShellFolders: {'{374DE290-123F-4565-9164-39C4925E467B}': join(profile, 'D-下载')}, UserName: 'xmt', UserProfile: profile}]
    const ctx = winContext({plaintext_secrets: fragment})
    const rows = await collect(ctx, {loadSecrets: async () => [SECRET]})
    expect(rows.map((r) => [String(r.path).slice(profile.length + 1), r.reason, r.folder, r.user])).to.deep.equal([
      ['D-下载/password.txt', 'file-name', 'downloads', 'xmt'],
      ['Desktop/账号.txt', 'file-name', 'desktop', 'xmt'],
      ['OneDrive/文档/交接.txt', 'content-match', 'documents', 'xmt'],
      ['OneDrive/桌面/微博密码.xlsx', 'file-name', 'desktop', 'xmt'],
    ])
    expect(ctx.scripts()[0]).to.contain('User Shell Folders').and.contain("GetFolderPath('Desktop')")
    expect(JSON.stringify(rows)).to.not.include(SECRET)
  })

  it('falls back to the profile folders when PowerShell fails, and says the check may have missed some', async () => {
    const profile = fakeRoot({'Desktop/口令.txt': '', 'Documents/报告.txt': 'x'})
    const found = await collect(winContext({plaintext_secrets: denied()}, {env: {USERNAME: 'xmt', USERPROFILE: profile}}), NAMES_ONLY)
    expect(found.map((r) => r.name)).to.deep.equal(['口令.txt'])
    const clean = fakeRoot({'Documents/报告.txt': 'x'})
    const error = (await collect(testContext('win32', {env: {USERPROFILE: clean}}), NAMES_ONLY).catch((e: unknown) => e)) as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.message).to.match(/check is incomplete: the known folders could not be read, only the default locations were \(powershell\.exe not found\)/)
  })
})
