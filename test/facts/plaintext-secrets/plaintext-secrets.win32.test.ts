import {expect} from 'chai'
import {rmSync} from 'node:fs'
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

describe('plaintext_secrets (win32, elevated: every local profile)', () => {
  after(removeFakeRoots)

  /** SYSTEM's own folders, and three people: 张伟 (OneDrive Desktop), 王 芳 (logged off, no readable hive), 李娜 (Documents redirected by Group Policy). */
  function machine(extra: Record<string, string> = {}): {profiles: unknown[]; root: string; system: unknown[]} {
    const root = fakeRoot({
      'Users/张伟/Desktop/旧账号.txt': '',
      'Users/张伟/OneDrive/桌面/微博 密码.xlsx': 'x',
      'Users/王 芳/Documents/.keep': '',
      'Users/李娜.GOV/Desktop/.keep': '',
      'fileserver/home$/李娜/文档/抖音账号.docx': 'x',
      'systemprofile/Desktop/.keep': '',
      ...extra,
    })
    const u = (name: string): string => join(root, 'Users', name)
    const profiles = [
      {Account: 'NT AUTHORITY\\SYSTEM', Exists: true, Loaded: true, ProfilePath: join(root, 'systemprofile'), ShellFolders: {}, Sid: 'S-1-5-18'},
      {Account: 'PC\\张伟', Exists: true, Loaded: true, OneDrive: join(u('张伟'), 'OneDrive'), ProfilePath: u('张伟'), ShellFolders: {Desktop: '%OneDrive%/桌面'}, Sid: 'S-1-5-21-1-2-3-1001'},
      {Account: 'PC\\王 芳', Exists: true, Loaded: false, ProfilePath: u('王 芳'), ShellFolders: {}, Sid: 'S-1-5-21-1-2-3-1002'},
      {Account: 'GOV\\李娜', Exists: true, Loaded: true, ProfilePath: u('李娜.GOV'), ShellFolders: {Personal: join(root, 'fileserver', 'home$', '李娜', '文档')}, Sid: 'S-1-5-21-9-8-7-2107'},
    ]
    const system = [{Desktop: join(root, 'systemprofile', 'Desktop'), ShellFolders: {}, UserName: 'SYSTEM', UserProfile: join(root, 'systemprofile')}]
    return {profiles, root, system}
  }

  it('searches every profile\'s redirected and default folders, each row naming whose', async () => {
    const {profiles, root, system} = machine()
    const ctx = winContext({plaintext_secrets: system, user_profiles: profiles}, {isAdmin: async () => true})
    const rows = await collect(ctx, NAMES_ONLY)
    expect(rows.map((r) => [String(r.path).slice(root.length + 1), r.folder, r.user])).to.deep.equal([
      ['Users/张伟/Desktop/旧账号.txt', 'desktop', '张伟'],
      ['Users/张伟/OneDrive/桌面/微博 密码.xlsx', 'desktop', '张伟'],
      ['fileserver/home$/李娜/文档/抖音账号.docx', 'documents', '李娜'],
    ])
    // One PowerShell for both fragments.
    expect(ctx.scripts()).to.have.length(1)
    expect(ctx.scripts()[0]).to.contain("$nmgOut['plaintext_secrets']").and.contain("$nmgOut['user_profiles']")
  })

  it('says which profile it could only search at the default places, and whose passwords it could not look for', async () => {
    const {profiles, root, system} = machine({
      'Users/张伟/AppData/Roaming/nm-guard/Config/accounts.json': JSON.stringify({accounts: [{account: 'gcfb', custodian: '张伟', platform: 'wechat', rotated_at: '2026-01-01T00:00:00Z', strength_score: 4}]}),
    })
    for (const file of ['Users/张伟/Desktop/旧账号.txt', 'Users/张伟/OneDrive/桌面/微博 密码.xlsx', 'fileserver/home$/李娜/文档/抖音账号.docx']) rmSync(join(root, file))
    const error = (await collect(winContext({plaintext_secrets: system, user_profiles: profiles}, {isAdmin: async () => true}), NAMES_ONLY).catch((e: unknown) => e)) as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.message).to.include(`王 芳's known folders are unknown (no NTUSER.DAT): only the default folders of ${join(root, 'Users', '王 芳')} were searched`)
    expect(error.message).to.include("张伟's 1 managed password(s) are in their own keychain, which an elevated audit cannot open")
  })

  it('not elevated, searches only the running user\'s folders', async () => {
    const {profiles, system} = machine()
    // 张伟's and 李娜's password files are there, but not the running user's to judge.
    expect(await collect(winContext({plaintext_secrets: system, user_profiles: profiles}, {isAdmin: async () => false}), NAMES_ONLY)).to.deep.equal([])
  })
})
