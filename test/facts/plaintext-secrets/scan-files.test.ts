import {expect} from 'chai'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {FactError} from '../../../src/os/fact-error.js'
import {gbkEncode} from '../../../src/facts/plaintext-secrets/content-match.js'
import {collectTargets} from '../../../src/facts/plaintext-secrets/collect-scan.js'
import {DEFAULT_LIMITS, scanFiles, type ScanTarget} from '../../../src/facts/plaintext-secrets/scan-files.js'
import {testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'
import {docx, legacyDoc, xlsx} from './office-files.js'

const SECRET = 'Gc@Weibo#2023'
const CHINESE_SECRET = '藁城政务Wb2023!'
const SECRETS = [SECRET, CHINESE_SECRET]
const MiB = 1024 * 1024

const targetsOf = (home: string): ScanTarget[] => [
  {folder: 'desktop', path: join(home, 'Desktop'), user: 'xmt'},
  {folder: 'documents', path: join(home, 'Documents'), user: 'xmt'},
  {folder: 'downloads', path: join(home, 'Downloads'), user: 'xmt'},
]
const rel = (home: string, paths: string[]): string[] => paths.map((p) => p.slice(home.length + 1))

/** A posting PC's folders: password files by name and by content among ordinary ones. */
function postingPcHome(): string {
  return fakeRoot({
    'Desktop/密码.txt': '随便写的',
    'Desktop/WeiboPWD.txt': 'x',
    'Desktop/工作/2024/抖音/zhanghao.xlsx': xlsx([['x']]),
    'Desktop/会议纪要.docx': docx([['会议纪要']]),
    'Desktop/passport.pdf': '%PDF-1.7',
    'Desktop/~$密码.docx': 'owner file',
    'Desktop/.hidden-密码.txt': 'hidden',
    'Documents/备忘.txt': `微博：gcxc\n${SECRET}\n`,
    'Documents/发布记录-gbk.txt': Buffer.concat([gbkEncode(`抖音 ${CHINESE_SECRET} 发布`) as Buffer]),
    'Documents/值班表-utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`值班 ${CHINESE_SECRET}`, 'utf16le')]),
    'Documents/工作交接.docx': docx([['交接事项'], ['微博：', 'Gc@', 'Weibo#2023']]),
    'Documents/平台清单.xlsx': xlsx([['平台', '密码'], ['微博', SECRET]]),
    'Documents/旧报表.xls': legacyDoc(`报表 ${CHINESE_SECRET}`),
    'Documents/普通.txt': '没有秘密',
    'Documents/中华人民共和国密码法.pdf': '%PDF',
    'Downloads/notes': `no extension ${SECRET}`,
    'Downloads/photo.png': SECRET, // not a document: contents of images are not searched
  })
}

describe('plaintext_secrets: scanning folders', () => {
  after(removeFakeRoots)

  it('finds files by name and by content, and nothing else', async () => {
    const home = postingPcHome()
    const result = await scanFiles(targetsOf(home), {secrets: SECRETS})
    const found = Object.fromEntries(result.findings.map((f) => [f.path.slice(home.length + 1), f.reason]))
    expect(found).to.deep.equal({
      'Desktop/WeiboPWD.txt': 'file-name',
      'Desktop/密码.txt': 'file-name',
      'Desktop/工作/2024/抖音/zhanghao.xlsx': 'file-name',
      'Documents/值班表-utf16.txt': 'content-match',
      'Documents/发布记录-gbk.txt': 'content-match',
      'Documents/备忘.txt': 'content-match',
      'Documents/工作交接.docx': 'content-match',
      'Documents/平台清单.xlsx': 'content-match',
      'Documents/旧报表.xls': 'content-match',
      'Downloads/notes': 'content-match',
    })
    expect(result.shortfalls).to.deep.equal([])
    expect(result.stats.contentChecked).to.equal(true)
    const memo = result.findings.find((f) => f.name === '备忘.txt')
    expect(memo).to.include({folder: 'documents', keyword: null, user: 'xmt'})
    expect(memo?.size).to.be.a('number')
    expect(memo?.modified_at).to.match(/^\d{4}-\d\d-\d\dT/)
    expect(result.findings.find((f) => f.name === '密码.txt')).to.include({keyword: '密码', reason: 'file-name'})
  })

  it('never puts a secret in what it returns', async () => {
    const result = await scanFiles(targetsOf(postingPcHome()), {secrets: SECRETS})
    const text = JSON.stringify(result)
    for (const s of SECRETS) expect(text).to.not.include(s)
  })

  it('names only when there are no managed passwords (null or an empty list)', async () => {
    const home = postingPcHome()
    for (const secrets of [null, []]) {
      const result = await scanFiles(targetsOf(home), {secrets})
      expect(result.findings.map((f) => f.reason)).to.deep.equal(['file-name', 'file-name', 'file-name'])
      expect(result.stats.contentChecked).to.equal(false)
      expect(result.shortfalls).to.deep.equal([])
    }
  })

  it('does not read files over 1 MiB, but still reports them by name', async () => {
    const big = Buffer.alloc(MiB + 1, 0x20)
    big.write(SECRET, 10)
    const home = fakeRoot({'Desktop/账号密码.txt': big, 'Desktop/大文件.txt': big, 'Desktop/刚好1M.txt': big.subarray(0, MiB)})
    const result = await scanFiles(targetsOf(home), {secrets: SECRETS})
    expect(result.findings.map((f) => [f.name, f.reason, f.size])).to.deep.equal([
      ['刚好1M.txt', 'content-match', MiB],
      ['账号密码.txt', 'file-name', MiB + 1],
    ])
  })

  it('goes three levels of subfolders deep, no deeper', async () => {
    const home = fakeRoot({'Desktop/a/b/c/密码.txt': '', 'Desktop/a/b/c/d/口令.txt': '', 'Documents/x/y/z/w/备忘.txt': SECRET})
    const result = await scanFiles(targetsOf(home), {secrets: SECRETS})
    expect(rel(home, result.findings.map((f) => f.path))).to.deep.equal(['Desktop/a/b/c/密码.txt'])
    const shallow = await scanFiles(targetsOf(home), {limits: {maxDepth: 0}, secrets: SECRETS})
    expect(shallow.findings).to.deep.equal([])
  })

  it('follows a linked user folder but no link inside it', async () => {
    const home = fakeRoot({'elsewhere/账号.txt': '', 'D/桌面/密码.txt': ''})
    symlinkSync(join(home, 'D', '桌面'), join(home, 'Desktop'))
    mkdirSync(join(home, 'Documents'))
    symlinkSync(join(home, 'elsewhere'), join(home, 'Documents', 'link'))
    symlinkSync(join(home, 'elsewhere', '账号.txt'), join(home, 'Documents', '账号-link.txt'))
    const result = await scanFiles(targetsOf(home), {secrets: SECRETS})
    expect(rel(home, result.findings.map((f) => f.path))).to.deep.equal(['Desktop/密码.txt'])
  })

  it('scans a folder reached twice (XDG dir and default name) once', async () => {
    const home = fakeRoot({'Desktop/密码.txt': ''})
    symlinkSync(join(home, 'Desktop'), join(home, '桌面'))
    const result = await scanFiles([...targetsOf(home), {folder: 'desktop', path: join(home, '桌面'), user: 'xmt'}], {secrets: SECRETS})
    expect(result.findings).to.have.length(1)
    expect(result.missing.map((p) => p.slice(home.length + 1))).to.deep.equal(['Documents', 'Downloads'])
  })

  it('stops at the deadline and says what was not checked', async () => {
    const entries: Record<string, string> = {'Desktop/密码.txt': ''}
    for (let i = 0; i < 40; i++) entries[`Documents/文件${String(i).padStart(2, '0')}.txt`] = i === 39 ? SECRET : 'ordinary'
    const home = fakeRoot(entries)
    let now = 0
    // Every look at the clock costs 50 ms: the 1 s deadline passes while contents are read.
    const result = await scanFiles(targetsOf(home), {clock: () => (now += 50), limits: {deadlineMs: 1000}, secrets: SECRETS})
    expect(result.findings.map((f) => f.name)).to.deep.equal(['密码.txt'])
    expect(result.shortfalls).to.have.length(1)
    expect(result.shortfalls[0]?.kind).to.equal('deadline')
    expect(result.shortfalls[0]?.detail).to.match(/deadline passed with \d+ of \d+ files' contents not checked/)
    expect(result.shortfalls[0]?.detail).to.match(/ of 41 /)
  })

  it('stops at the entry limit, breadth first', async () => {
    const entries: Record<string, string> = {'Desktop/账号.txt': ''}
    for (let i = 0; i < 30; i++) entries[`Desktop/sub/f${i}.txt`] = ''
    entries['Desktop/sub/zz-密码.txt'] = ''
    const home = fakeRoot(entries)
    const result = await scanFiles(targetsOf(home), {limits: {maxEntries: 10}, secrets: null})
    expect(result.findings.map((f) => f.name)).to.deep.equal(['账号.txt'])
    expect(result.shortfalls.map((s) => s.kind)).to.deep.equal(['limit'])
  })

  it('caps the files and bytes whose contents are read', async () => {
    const entries: Record<string, string> = {}
    for (let i = 0; i < 10; i++) entries[`Documents/f${i}.txt`] = i === 9 ? SECRET : 'x'.repeat(100)
    const home = fakeRoot(entries)
    const byFiles = await scanFiles(targetsOf(home), {limits: {maxContentFiles: 5}, secrets: SECRETS})
    expect(byFiles.findings).to.deep.equal([])
    expect(byFiles.shortfalls.map((s) => s.kind)).to.deep.equal(['limit'])
    const byBytes = await scanFiles(targetsOf(home), {limits: {maxContentBytes: 300}, secrets: SECRETS})
    expect(byBytes.shortfalls.map((s) => s.kind)).to.deep.equal(['limit'])
    // The byte cap is checked as each file is picked: the eight readers at work may overshoot it by a file each.
    expect(byBytes.findings).to.deep.equal([])
    expect(byBytes.stats.contentFiles).to.be.at.most(8)
  })

  it('reports a keychain that cannot be read, and one that answers too late', async () => {
    const home = postingPcHome()
    const failed = await scanFiles(targetsOf(home), {secrets: Promise.reject(new Error('Platform secure storage failure: no Secret Service'))})
    expect(failed.findings.map((f) => f.reason)).to.deep.equal(['file-name', 'file-name', 'file-name'])
    expect(failed.shortfalls).to.deep.equal([{detail: 'contents not checked: the managed passwords could not be read (Platform secure storage failure: no Secret Service)', kind: 'secrets'}])
    const late = await scanFiles(targetsOf(home), {limits: {deadlineMs: 50}, secrets: new Promise<string[]>(() => {})})
    // On a loaded machine the 50 ms may also run out while listing: then that is a deadline too.
    expect([...new Set(late.shortfalls.map((s) => s.kind))]).to.deep.equal(['deadline'])
    expect(late.shortfalls.map((s) => s.detail)).to.include('the managed passwords were not read before the deadline: contents not checked')
  })

  it('is quick on 2,000 ordinary files', async function () {
    const home = fakeRoot({})
    for (const folder of ['Desktop', 'Documents', 'Downloads']) mkdirSync(join(home, folder))
    const filler = 'ordinary work text 工作文本 '.repeat(200) // ~6 KB
    for (let i = 0; i < 2000; i++) {
      const folder = ['Desktop', 'Documents', 'Downloads'][i % 3] as string
      const dir = join(home, folder, `sub${i % 20}`)
      mkdirSync(dir, {recursive: true})
      if (i % 4 === 0) writeFileSync(join(dir, `报告${i}.docx`), docx([[filler]]))
      else if (i % 4 === 1) writeFileSync(join(dir, `表${i}.xlsx`), xlsx([[filler, i]]))
      else if (i % 4 === 2) writeFileSync(join(dir, `记录${i}.txt`), filler)
      else writeFileSync(join(dir, `图${i}.jpg`), filler)
    }
    writeFileSync(join(home, 'Documents', 'sub7', '交接.txt'), SECRET)
    const result = await scanFiles(targetsOf(home), {secrets: SECRETS})
    expect(result.findings.map((f) => f.name)).to.deep.equal(['交接.txt'])
    expect(result.shortfalls).to.deep.equal([])
    expect(result.stats.contentFiles).to.equal(1501)
    // ~0.4 s on an idle 2-vCPU machine (names only: ~30 ms); the bound is the deadline, so a loaded CI does not flake.
    this.test!.title += ` (${result.stats.elapsedMs} ms)`
    expect(result.stats.elapsedMs).to.be.lessThan(DEFAULT_LIMITS.deadlineMs)
  })
})

describe('plaintext_secrets: what a collector makes of a scan', () => {
  after(removeFakeRoots)
  const ctx = testContext('linux')

  it('returns findings as rows, with the documented columns', async () => {
    const home = postingPcHome()
    const rows = await collectTargets(ctx, targetsOf(home), {loadSecrets: async () => SECRETS})
    expect(rows).to.have.length(10)
    expect(Object.keys(rows[0] ?? {}).sort()).to.deep.equal(['folder', 'keyword', 'modified_at', 'name', 'path', 'reason', 'size', 'user'])
    for (const s of SECRETS) expect(JSON.stringify(rows)).to.not.include(s)
  })

  it('returns an empty table only after a complete scan', async () => {
    const home = fakeRoot({'Desktop/会议纪要.txt': '没有'})
    expect(await collectTargets(ctx, targetsOf(home), {loadSecrets: async () => SECRETS})).to.deep.equal([])
  })

  it('keeps name findings when the keychain fails, and is unavailable when there are none', async () => {
    const keychainDown = async (): Promise<string[]> => {
      throw new Error('no Secret Service is running')
    }
    expect(await collectTargets(ctx, targetsOf(postingPcHome()), {loadSecrets: keychainDown})).to.have.length(3)
    const clean = fakeRoot({'Documents/会议纪要.txt': '没有'})
    const error = (await collectTargets(ctx, targetsOf(clean), {loadSecrets: keychainDown}).catch((e: unknown) => e)) as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.kind).to.equal('failed')
    expect(error.message).to.match(/^no password file found in 1 folder\(s\), 1 entries, but the check is incomplete: contents not checked: the managed passwords could not be read \(no Secret Service is running\)$/)
  })

  it('is unavailable as a timeout when the deadline cut a clean scan short, and never names a secret', async () => {
    const entries: Record<string, string> = {}
    for (let i = 0; i < 20; i++) entries[`Documents/f${i}.txt`] = `text ${i}`
    const error = (await collectTargets(ctx, targetsOf(fakeRoot(entries)), {limits: {deadlineMs: 0}, loadSecrets: async () => SECRETS}).catch((e: unknown) => e)) as FactError
    expect(error.kind).to.equal('timeout')
    for (const s of SECRETS) expect(error.message).to.not.include(s)
  })

  it('is unsupported when none of the folders exists', async () => {
    const home = fakeRoot({})
    const error = (await collectTargets(ctx, targetsOf(home), {loadSecrets: async () => []}).catch((e: unknown) => e)) as FactError
    expect(error.kind).to.equal('unsupported')
    expect(error.message).to.include('no Desktop, Documents or Downloads folder to check').and.include(join(home, 'Desktop'))
  })
})
