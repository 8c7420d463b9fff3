import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {Exec} from '../../../src/facts/types.js'
import {darwinIsolator, PF_TOKEN_FILE} from '../../../src/incident/isolation/isolator.darwin.js'
import type {Journal} from '../../../src/incident/types.js'
import {fixture} from '../../helpers/fake-exec.js'

/** A recorded pfctl: answers from fixtures and keeps every call with its stdin. */
function fakePfctl(anchorLoaded: () => boolean, mainRules = fixture('darwin/incident/pfctl-s-rules-stock.txt'), upNow: () => string = () => 'lo0 en0') {
  const calls: {line: string; input?: string}[] = []
  const exec: Exec = async (file, args, options) => {
    const line = [file, ...args].join(' ')
    calls.push({input: options?.input?.toString(), line})
    const answer = (stdout: string, stderr = '') => ({code: 0, raw: Buffer.from(stdout), stderr, stdout})
    if (line === '/sbin/pfctl -s info') return answer(fixture('darwin/incident/pfctl-s-info-disabled.txt'))
    if (line === '/sbin/pfctl -s rules') return answer(mainRules)
    if (line === '/sbin/pfctl -E') return answer('', fixture('darwin/incident/pfctl-E.stderr.txt'))
    if (line === '/sbin/pfctl -a com.apple/nm_guard -s rules') return answer(anchorLoaded() ? fixture('darwin/incident/pfctl-a-nm_guard-s-rules.txt') : '')
    if (line === '/sbin/ifconfig -l -u') return answer(`${upNow()}\n`)
    return answer('')
  }
  return {calls, exec}
}

describe('macOS isolator (pfctl, recorded output)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nmg-pf-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('isolates with the anchor, keeps the token, flushes states; restore releases exactly that token once', async () => {
    let loaded = false
    const {calls, exec} = fakePfctl(() => loaded)
    const iso = darwinIsolator({exec, journalDir: dir})
    const saved = await iso.snapshot()
    expect(saved.pf).to.deep.equal({enabled: false, token: null})
    expect(await iso.isolate(saved, null)).to.deep.equal({method: 'pf', warnings: []})
    loaded = true
    expect(calls.slice(2).map((c) => c.line)).to.deep.equal(['/sbin/pfctl -s rules', '/sbin/pfctl -a com.apple/nm_guard -f -', '/sbin/pfctl -E', '/sbin/pfctl -F states'])
    expect(calls[3]?.input).to.equal('pass quick on lo0 all\nblock drop quick all\n')
    expect(saved.pf).to.deep.equal({enabled: false, token: '13148305614935744919'})
    expect(readFileSync(join(dir, PF_TOKEN_FILE), 'utf8')).to.equal('13148305614935744919\n')
    expect(await iso.isIsolated()).to.equal(true)

    // The keep-collector fallback isolates again: the reference already held is not taken twice.
    calls.length = 0
    await iso.isolate(saved, null)
    expect(calls.map((c) => c.line)).to.deep.equal(['/sbin/pfctl -s rules', '/sbin/pfctl -a com.apple/nm_guard -f -', '/sbin/pfctl -F states'])

    calls.length = 0
    await iso.restore({saved} as Journal)
    loaded = false
    expect(calls.map((c) => c.line)).to.deep.equal(['/sbin/pfctl -a com.apple/nm_guard -F all', '/sbin/pfctl -X 13148305614935744919'])
    expect(existsSync(join(dir, PF_TOKEN_FILE))).to.equal(false)
    expect(await iso.isIsolated()).to.equal(false)

    calls.length = 0
    await iso.restore({saved} as Journal)
    expect(calls.map((c) => c.line)).to.deep.equal(['/sbin/pfctl -a com.apple/nm_guard -F all'])
  })

  it('loads the stock /etc/pf.conf first when the main ruleset does not evaluate com.apple/*, and says so', async () => {
    const {calls, exec} = fakePfctl(() => false, '')
    const iso = darwinIsolator({exec, journalDir: dir, lang: 'zh-CN'})
    const saved = await iso.snapshot()
    const result = await iso.isolate(saved, null)
    expect(result.warnings).to.deep.equal(['pf 主规则集未引用 com.apple 锚点，已先加载系统自带的 /etc/pf.conf。'])
    expect(calls.slice(2, 4).map((c) => c.line)).to.deep.equal(['/sbin/pfctl -s rules', '/sbin/pfctl -f /etc/pf.conf'])
  })

  it('takes down the bridges that were up (Internet Sharing, a VM\'s bridged network), sees one that comes back, and raises them on restore (#11 2.4)', async () => {
    let up = 'lo0 en0 bridge100 vmenet0 bridge101'
    const {calls, exec} = fakePfctl(() => true, undefined, () => up)
    const iso = darwinIsolator({exec, journalDir: dir})
    const saved = await iso.snapshot()
    expect(saved.darwin_bridges).to.deep.equal(['bridge100', 'bridge101'])
    expect(await iso.verifyBridges?.()).to.deep.equal({bridges: ['bridge100', 'bridge101'], state: 'reachable'})
    calls.length = 0
    await iso.isolate(saved, null)
    expect(calls.map((c) => c.line).slice(-2)).to.deep.equal(['/sbin/ifconfig bridge100 down', '/sbin/ifconfig bridge101 down'])
    up = 'lo0 en0'
    expect(await iso.verifyBridges?.()).to.equal(null)
    // Internet Sharing brings its bridge back up: verification says the cut does not hold for it.
    up = 'lo0 en0 bridge100'
    expect(await iso.verifyBridges?.()).to.deep.equal({bridges: ['bridge100'], state: 'reachable'})
    calls.length = 0
    await iso.restore({saved} as Journal)
    expect(calls.map((c) => c.line).filter((l) => l.includes('ifconfig'))).to.deep.equal(['/sbin/ifconfig bridge100 up', '/sbin/ifconfig bridge101 up'])
  })
})
