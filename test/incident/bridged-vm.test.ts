// Issue #11, 2.4: a VM bridged through the PC kept its network after `disconnect` when
// br_netfilter was inactive (bridged frames never meet the inet hooks), and verification passed.
// Here the "VM" is a namespace behind a bridge in the PC namespace (br_netfilter off in there).
import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {hostname as osHostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {Exec} from '../../src/facts/types.js'
import {disconnect} from '../../src/incident/disconnect.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {type BridgedVm, createLab, type Lab, requireLab} from '../helpers/netns.js'
import {type CliResult, DEV_BIN, runCli} from '../helpers/run-cli.js'

const HOST = osHostname()

describe('disconnect cuts a VM bridged through the PC (#11 2.4, network namespaces, real nftables)', function () {
  this.timeout(120_000)
  let lab: Lab
  let vm: BridgedVm
  let state: string

  beforeEach(async function () {
    requireLab(this)
    lab = await createLab()
    vm = lab.bridgeVm()
    state = mkdtempSync(join(tmpdir(), 'nmg-bridged-'))
    await lab.serveTcp(8080)
  })

  afterEach(async () => {
    await lab?.destroy()
  })

  const cli = (args: string[]): Promise<CliResult> =>
    runCli(args, {command: lab.inNs([process.execPath, DEV_BIN]), env: {NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: state}})

  it('the VM reaches the peer before disconnect, not after (verified), and again after reconnect', async () => {
    expect(await vm.canConnect(8080)).to.equal(true)
    const cut = await cli(['disconnect', '--confirm', HOST, '--json'])
    expect(cut.code, cut.stdout + cut.stderr).to.equal(0)
    const result = (JSON.parse(cut.stdout) as {result: {method: string; verification: Record<string, unknown>}}).result
    expect(result.method).to.equal('nftables')
    expect(result.verification).to.deep.equal({bridged: {bridges: ['br0'], state: 'blocked'}, collector: 'none', gateway: 'blocked'})
    expect(await vm.canConnect(8080, 1500)).to.equal(false)

    const back = await cli(['reconnect', '--confirm', HOST, '--json'])
    expect(back.code, back.stdout + back.stderr).to.equal(0)
    expect(await vm.canConnect(8080)).to.equal(true)
  })

  it('says the cut is not verified, and exits 1, when the bridge still forwards after it', async () => {
    // The bridge table disappears right behind the cut (as on a kernel or a ruleset manager that
    // drops it): verification must see the VM's path open, not report a cut it did not check.
    // No default route is shown, so nothing is probed from this test's own namespace.
    let cut = false
    const exec: Exec = async (file, args, options) => {
      if (file.endsWith('/ip') && args.join(' ') === '-j route show table all') return {code: 0, raw: Buffer.from('[]'), stderr: '', stdout: '[]'}
      // The isolator has checked both its tables: the cut is in effect, and the bridge table goes.
      if (cut) execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', 'delete', 'table', 'bridge', 'nm_guard'])
      cut = false
      const result = await lab.exec(file, args, options)
      if (file.endsWith('/nft') && args.join(' ') === 'list table bridge nm_guard' && result.code === 0) cut = true
      return result
    }
    const result = await disconnect({exec, hostname: HOST, keepCollector: false, lang: 'en', platform: 'linux', reason: null, root: state})
    expect(result.verification.bridged).to.deep.equal({bridges: ['br0'], state: 'reachable'})
    expect(result.exit_code).to.equal(1)
    expect(result.warnings.join('\n')).to.contain('The cut could not be verified: bridge br0 still answers')
    // What verification says is what the VM finds.
    expect(await vm.canConnect(8080)).to.equal(true)
    await reconnect({exec, lang: 'en', platform: 'linux', root: state})
  })
})
