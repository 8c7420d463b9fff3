import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {linuxIsolator} from '../../src/incident/isolation/isolator.linux.js'
import type {CollectorEndpoint} from '../../src/incident/types.js'
import {collectorAnswers, type CutVerification, classifyConnectError, defaultGateway, probeTcp, verifyCut} from '../../src/incident/verify-cut.js'
import {writeAgentIdentity} from '../helpers/agent-identity.js'
import {fixture} from '../helpers/fake-exec.js'
import {createLab, type Lab, requireLab} from '../helpers/netns.js'
import {ROOT} from '../helpers/run-cli.js'
import {TestCa, TestCollector} from '../helpers/test-collector.js'

const routes = (name: string): Record<string, unknown>[] => JSON.parse(fixture(`linux/incident/${name}`)) as Record<string, unknown>[]

describe('verify-cut', () => {
  describe('default gateway', () => {
    it('is the main table’s lowest-metric IPv4 default, else the IPv6 one with its zone', () => {
      expect(defaultGateway(routes('ip-route-table-all-desktop.json'))).to.equal('192.168.1.1')
      expect(defaultGateway(routes('ip-route-default-v6only.json'))).to.equal('fe80::1%wlp2s0')
      expect(defaultGateway(routes('ip-route-table-all-desktop.json').filter((r) => r.dst !== 'default'))).to.equal(null)
      expect(defaultGateway([{dst: 'default', gateway: '10.9.9.9', table: '100'}])).to.equal(null)
      expect(defaultGateway([])).to.equal(null)
    })
  })

  describe('probes', () => {
    it('count a refused or reset connection as reachable, a firewall error or silence as blocked', () => {
      expect(classifyConnectError('ECONNREFUSED')).to.equal('reachable')
      expect(classifyConnectError('ECONNRESET')).to.equal('reachable')
      for (const code of ['EPERM', 'EACCES', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', undefined]) expect(classifyConnectError(code)).to.equal('blocked')
    })

    it('see a listening and a closed loopback port as reachable', async () => {
      const server = createServer((s) => s.destroy())
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const {port} = server.address() as {port: number}
      try {
        expect(await probeTcp('127.0.0.1', port, 1000)).to.equal('reachable')
      } finally {
        server.close()
      }
      expect(await probeTcp('127.0.0.1', port, 1000)).to.equal('reachable')
    })

    it('count a kept collector as answering only when a verified TLS handshake completes: not a bare TCP accept, not a refusal (#11 2.3)', async () => {
      const server = createServer((s) => s.destroy())
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const {port} = server.address() as {port: number}
      const keep: CollectorEndpoint = {addresses: ['127.0.0.1'], host: 'localhost', port, url: `https://localhost:${port}`}
      const root = mkdtempSync(join(tmpdir(), 'nmg-verify-'))
      const ca = new TestCa()
      writeAgentIdentity(root, keep.url, ca)
      try {
        expect(await collectorAnswers(keep, 1000, root)).to.equal(false)
      } finally {
        server.close()
      }
      expect(await collectorAnswers(keep, 1000, root)).to.equal(false)
      const collector = new TestCollector(ca, {dns: ['localhost'], ip: []})
      await collector.start()
      try {
        expect(await collectorAnswers({...keep, port: collector.port, url: `https://localhost:${collector.port}`}, 1000, root)).to.equal(true)
      } finally {
        await collector.stop()
      }
    })

    it('report none for a missing gateway or collector', async () => {
      expect(await verifyCut({gateway: null, keep: null})).to.deep.equal({collector: 'none', gateway: 'none'})
    })
  })

  describe('inside a network namespace (real nftables)', function () {
    this.timeout(60_000)
    let lab: Lab
    let dir: string
    let script: string

    before(async function () {
      requireLab(this)
      lab = await createLab()
      dir = mkdtempSync(join(tmpdir(), 'nmg-verify-'))
      // node sockets live in the process's own namespace: the probe runs as a child inside ns.
      script = join(dir, 'probe.mts')
      writeFileSync(
        script,
        `import {verifyCut} from ${JSON.stringify(join(ROOT, 'src/incident/verify-cut.ts'))}\n` +
          'const started = Date.now()\n' +
          'const result = await verifyCut(JSON.parse(process.argv[2]))\n' +
          'console.log(JSON.stringify({...result, ms: Date.now() - started}))\n',
      )
      await lab.serveTcp(8081)
    })

    after(async () => {
      await lab?.destroy()
      if (dir) rmSync(dir, {force: true, recursive: true})
    })

    const probe = async (keep: CollectorEndpoint | null): Promise<CutVerification & {ms: number}> => {
      const [file, ...args] = lab.inNs(['node', '--import', 'tsx', script, JSON.stringify({gateway: lab.peerAddr, keep, timeoutMs: 300})])
      const {stdout} = await promisify(execFile)(file as string, args, {cwd: ROOT})
      return JSON.parse(stdout) as CutVerification & {ms: number}
    }

    it('sees the gateway and collector before the cut, neither after it, and only the collector when kept', async () => {
      const keep: CollectorEndpoint = {addresses: [lab.peerAddr], host: 'collector.test', port: 8081, url: 'https://collector.test:8081'}
      expect(await probe(keep)).to.deep.include({collector: 'reachable', gateway: 'reachable'})

      const isolator = linuxIsolator({exec: lab.exec, journalDir: dir})
      const saved = await isolator.snapshot()
      await isolator.isolate(saved, null)
      const cut = await probe(keep)
      expect(cut).to.deep.include({collector: 'blocked', gateway: 'blocked'})

      await isolator.isolate(saved, keep)
      expect(await probe(keep)).to.deep.include({collector: 'reachable', gateway: 'blocked'})
      await isolator.restore({method: 'nftables', saved} as Parameters<typeof isolator.restore>[0])
      expect(await probe(keep)).to.deep.include({collector: 'reachable', gateway: 'reachable'})
    })
  })
})
