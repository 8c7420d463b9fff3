import {expect} from 'chai'

import {quoteWindowsArg, splitWindowsCommandLine, windowsCommandLine} from '../../src/os/windows-command-line.js'

describe('Windows command lines (CreateProcess quoting)', () => {
  it('quotes only what needs it, as libuv does', () => {
    expect(quoteWindowsArg('audit')).to.equal('audit')
    expect(quoteWindowsArg('')).to.equal('""')
    expect(quoteWindowsArg('C:\\Program Files\\nm-guard\\node.exe')).to.equal('"C:\\Program Files\\nm-guard\\node.exe"')
    expect(quoteWindowsArg('C:\\Users\\张伟\\目录 一\\')).to.equal('"C:\\Users\\张伟\\目录 一\\\\"')
    expect(quoteWindowsArg('say "hi"')).to.equal('"say \\"hi\\""')
  })

  for (const argv of [
    ['C:\\Program Files\\nm-guard\\node.exe', 'C:\\Program Files\\nm-guard\\bin\\run.js', 'audit', '--report'],
    ['node.exe', 'C:\\Users\\张伟\\nm guard\\', 'a"b', 'back\\\\"slash', '', 'tab\there', '100%'],
  ]) {
    it(`splits back to the same argv: ${argv.join(' | ').slice(0, 60)}`, () => {
      expect(splitWindowsCommandLine(windowsCommandLine(argv[0] as string, argv.slice(1)))).to.deep.equal(argv)
    })
  }
})
