import {expect} from 'chai'

import {collect, darwinTargets} from '../../../src/facts/plaintext-secrets/plaintext-secrets.darwin.js'
import {testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'
import {docx} from './office-files.js'

const SECRET = 'Mac#Toutiao2024'

describe('plaintext_secrets (darwin)', () => {
  after(removeFakeRoots)

  it('searches ~/Desktop, ~/Documents and ~/Downloads (Finder shows them as 桌面, 文稿, 下载)', () => {
    expect(darwinTargets('/Users/xmt', 'xmt').map((t) => [t.folder, t.path])).to.deep.equal([
      ['desktop', '/Users/xmt/Desktop'],
      ['documents', '/Users/xmt/Documents'],
      ['downloads', '/Users/xmt/Downloads'],
    ])
  })

  it('finds password files by name and by content', async () => {
    const home = fakeRoot({'Desktop/头条账号.numbers': 'x', 'Documents/交接.docx': docx([['头条：', SECRET]]), 'Downloads/发票.pdf': '%PDF'})
    const rows = await collect(testContext('darwin', {env: {HOME: home, USER: 'xmt'}}), {loadSecrets: async () => [SECRET]})
    expect(rows.map((r) => [String(r.path).slice(home.length + 1), r.reason, r.keyword, r.user])).to.deep.equal([
      ['Desktop/头条账号.numbers', 'file-name', '账号', 'xmt'],
      ['Documents/交接.docx', 'content-match', null, 'xmt'],
    ])
  })
})
