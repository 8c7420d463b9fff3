// A throwaway two-namespace network for incident tests: `ns` plays the PC, `peer` its gateway/LAN,
// joined by a veth pair created INSIDE the namespaces (the host's interfaces are never touched).
// Everything the lab starts (echo servers, held connections) is killed in destroy().
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import {exec as realExec} from '../../src/os/spawn.js'
import {missingTool} from '../../src/os/fact-error.js'
import type {Exec} from '../../src/facts/types.js'
import {hasCommand, isRoot, requirePart} from './require-part.js'

export interface HeldConnection {
  /** Sends one unique line over the held connection; true when its echo comes back within timeoutMs. */
  echoes(timeoutMs?: number): Promise<boolean>
  close(): void
}

export interface Lab {
  ns: string
  peer: string
  /** Addresses without prefix length: the PC (in ns) and its gateway (in peer). */
  pcAddr: string
  peerAddr: string
  /** The veth end inside ns (the PC's only non-loopback link). */
  pcLink: string
  inNs(cmd: string[]): string[]
  inPeer(cmd: string[]): string[]
  /** The project's exec seam, with every program run inside ns. */
  exec: Exec
  /** Starts a TCP echo server inside peer on peerAddr:port; resolves once it listens. */
  serveTcp(port: number): Promise<void>
  /**
   * Starts a TLS server inside peer on peerAddr:port with this certificate: it completes the
   * handshake (what verifying a kept collector needs), then closes each connection unanswered.
   */
  serveTls(port: number, pem: {certPem: string; keyPem: string}): Promise<void>
  /** A client inside ns holding one TCP connection to peerAddr:port. */
  openConnection(port: number): Promise<HeldConnection>
  /** Whether a NEW connection from ns to peerAddr:port is accepted within timeoutMs. */
  canConnect(port: number, timeoutMs?: number): Promise<boolean>
  /** Starts a TCP echo server inside ns (the PC) on pcAddr:port; resolves once it listens. */
  servePc(port: number): Promise<void>
  /**
   * A NEW connection from peer to pcAddr:port, opened from peerAddr and, if given, the source port
   * `fromPort` (as someone posing as a kept collector would): 'connected', 'timeout' (no answer
   * within timeoutMs: dropped), or 'error CODE' (refused, or the source port could not be bound).
   */
  peerConnect(port: number, options?: {fromPort?: number; timeoutMs?: number}): Promise<string>
  /** `nft list ruleset` inside ns. */
  nftRuleset(): string
  /**
   * A "VM" bridged through the PC: a bridge br0 in ns takes the PC's link (and its address), and a
   * veth to a third namespace whose address is on the same subnet. br_netfilter is switched off
   * inside ns (net.bridge.bridge-nf-call-*tables=0, never on the host), so bridged frames meet only
   * the bridge hooks, as on a PC without br_netfilter.
   */
  bridgeVm(): BridgedVm
  /**
   * A DNS server inside peer on peerAddr:53 (UDP) answering A queries for `names` (name → IPv4),
   * and a resolv.conf naming it, for inNsResolving.
   */
  serveDns(names: Record<string, string>): Promise<void>
  /** `cmd` inside ns with /etc/resolv.conf bind-mounted (privately) to name peer's DNS server. */
  inNsResolving(cmd: string[]): string[]
  destroy(): Promise<void>
}

export interface BridgedVm {
  vm: string
  vmAddr: string
  inVm(cmd: string[]): string[]
  /** Whether a NEW connection from the VM to peerAddr:port is accepted within timeoutMs. */
  canConnect(port: number, timeoutMs?: number): Promise<boolean>
}

let counter = 0

// If the run dies before destroy() (an uncaught error, mocha's exit), still kill what the labs
// started and delete their namespaces, so nothing outlives the test process.
const live = new Map<string, {children: Set<ChildProcess>; names: string[]}>()
let exitHook = false

/** Deleting a namespace destroys the veth end inside it (and with it the pair). */
function deleteNamespaces(names: string[]): void {
  for (const name of names) {
    try {
      execFileSync('ip', ['netns', 'delete', name], {stdio: 'ignore', timeout: 10_000})
    } catch {
      // never created or already gone
    }
  }
}

function cleanupOnExit(): void {
  for (const {children, names} of live.values()) {
    for (const child of children) child.kill('SIGKILL')
    deleteNamespaces(names)
  }
  live.clear()
}

/** Skips (or fails under NMG_REQUIRE_ALL=1) unless root with ip, nft and node available. */
export function requireLab(ctx: Mocha.Context, extra: string[] = []): void {
  requirePart(ctx, isRoot(), 'root (ip netns needs it)')
  requirePart(ctx, hasCommand('ip'), 'ip (package iproute2)')
  for (const tool of ['nft', ...extra]) requirePart(ctx, hasCommand(tool), `${tool} (package ${tool === 'nft' ? 'nftables' : tool.startsWith('ip') ? 'iptables' : tool})`)
}

const run = (cmd: string[]): string => execFileSync(cmd[0] as string, cmd.slice(1), {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000})

// Child scripts run with plain node (no tsx): small, dependency-free, fast to start.
const ECHO_SERVER = `
const net = require('node:net')
const [host, port] = process.argv.slice(1)
const server = net.createServer((s) => { s.on('error', () => {}); s.pipe(s) })
server.listen(Number(port), host, () => console.log('listening'))
`

const TLS_SERVER = `
const tls = require('node:tls')
const [host, port, json] = process.argv.slice(1)
const {certPem, keyPem} = JSON.parse(json)
const server = tls.createServer({cert: certPem, key: keyPem}, (s) => { s.on('error', () => {}); s.destroy() })
server.on('tlsClientError', () => {})
server.listen(Number(port), host, () => console.log('listening'))
`

const HOLDER = `
const net = require('node:net')
const readline = require('node:readline')
const [host, port] = process.argv.slice(1)
const socket = net.connect({host, port: Number(port)}, () => console.log('connected'))
socket.setNoDelay(true)
socket.on('error', (e) => console.log('error ' + e.code))
readline.createInterface({input: socket}).on('line', (l) => console.log('echo ' + l))
readline.createInterface({input: process.stdin}).on('line', (l) => socket.write(l + '\\n'))
process.stdin.on('end', () => process.exit(0))
`

const CONNECT = `
const net = require('node:net')
const [host, port, ms, localAddress, localPort] = process.argv.slice(1)
const s = net.connect({host, port: Number(port), ...(localAddress ? {localAddress} : {}), ...(localPort ? {localPort: Number(localPort)} : {})})
const t = setTimeout(() => { console.log('timeout'); process.exit(2) }, Number(ms))
s.on('connect', () => { clearTimeout(t); s.destroy(); console.log('connected'); process.exit(0) })
s.on('error', (e) => { console.log('error ' + e.code); process.exit(1) })
`

// A minimal DNS responder: A records for the names given, an empty answer for other types of a
// known name, NXDOMAIN otherwise. UDP only, one question per query (what getaddrinfo sends).
const DNS_SERVER = `
const dgram = require('node:dgram')
const [host, json] = process.argv.slice(1)
const names = JSON.parse(json)
const server = dgram.createSocket('udp4')
server.on('message', (q, from) => {
  if (q.length < 17) return
  let at = 12
  const labels = []
  while (at < q.length && q[at] !== 0) { labels.push(q.toString('latin1', at + 1, at + 1 + q[at])); at += q[at] + 1 }
  const end = at + 5
  const name = labels.join('.').toLowerCase()
  const type = q.readUInt16BE(at + 1)
  const address = names[name]
  const answer = address && type === 1 ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, ...address.split('.').map(Number)]) : Buffer.alloc(0)
  const header = Buffer.from(q.subarray(0, 12))
  header.writeUInt16BE(address ? 0x8180 : 0x8183, 2)
  header.writeUInt16BE(1, 4)
  header.writeUInt16BE(answer.length ? 1 : 0, 6)
  header.writeUInt32BE(0, 8)
  server.send(Buffer.concat([header, q.subarray(12, end), answer]), from.port, from.address)
})
server.bind(53, host, () => console.log('listening'))
`

/** Resolves with the child's first stdout line, or rejects if it exits or stays silent too long. */
function firstLine(child: ChildProcess, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => reject(new Error(`${what}: no output within ${timeoutMs} ms`)), timeoutMs)
    const lines = createInterface({input: child.stdout!})
    lines.once('line', (line) => {
      clearTimeout(timer)
      resolve(line)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited ${code}: ${stderr.trim()}`))
    })
  })
}

export async function createLab(): Promise<Lab> {
  counter += 1
  const id = `${process.pid}-${counter}`
  const ns = `nmg-pc-${id}`
  const peer = `nmg-peer-${id}`
  // Each lab is its own pair of namespaces, so the subnet only needs to differ between labs of
  // one process (for readable failures); it can never clash with the host's networks.
  const subnet = `10.213.${counter % 250}`
  const pcAddr = `${subnet}.2`
  const peerAddr = `${subnet}.1`
  const pcLink = 'veth-pc'
  const children = new Set<ChildProcess>()
  // The bridged "VM" of bridgeVm(), and serveDns()'s resolv.conf, made only when asked for.
  const vm = `nmg-vm-${id}`
  let resolvDir: null | string = null

  const inNs = (cmd: string[]): string[] => ['ip', 'netns', 'exec', ns, ...cmd]
  const inPeer = (cmd: string[]): string[] => ['ip', 'netns', 'exec', peer, ...cmd]

  live.set(id, {children, names: [ns, peer, vm]})
  if (!exitHook) {
    exitHook = true
    process.once('exit', cleanupOnExit)
  }

  const destroy = async (): Promise<void> => {
    live.delete(id)
    for (const child of children) child.kill('SIGKILL')
    await Promise.all(
      [...children].map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null)),
    )
    children.clear()
    deleteNamespaces([ns, peer, vm])
    if (resolvDir) rmSync(resolvDir, {force: true, recursive: true})
  }

  try {
    run(['ip', 'netns', 'add', ns])
    run(['ip', 'netns', 'add', peer])
    // Created inside ns with its other end moved straight into peer: no host interface appears.
    run(['ip', '-n', ns, 'link', 'add', pcLink, 'type', 'veth', 'peer', 'name', 'veth-peer', 'netns', peer])
    run(['ip', '-n', ns, 'addr', 'add', `${pcAddr}/24`, 'dev', pcLink])
    run(['ip', '-n', peer, 'addr', 'add', `${peerAddr}/24`, 'dev', 'veth-peer'])
    for (const [name, link] of [[ns, 'lo'], [ns, pcLink], [peer, 'lo'], [peer, 'veth-peer']] as const) run(['ip', '-n', name, 'link', 'set', link, 'up'])
    run(['ip', '-n', ns, 'route', 'add', 'default', 'via', peerAddr])
  } catch (error) {
    await destroy()
    throw error
  }

  const start = (cmd: string[]): ChildProcess => {
    const child = spawn(cmd[0] as string, cmd.slice(1), {stdio: ['pipe', 'pipe', 'pipe']})
    children.add(child)
    child.once('exit', () => children.delete(child))
    // A lab child never holds the test process open: a forgotten destroy() ends in the exit hook,
    // not in a hung run (a pending wait on it still keeps the loop busy through its timer).
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as {unref?: () => void} | null)?.unref?.()
    return child
  }

  const serveTcp = async (port: number): Promise<void> => {
    const child = start(inPeer(['node', '-e', ECHO_SERVER, peerAddr, String(port)]))
    const line = await firstLine(child, `echo server on ${port}`)
    if (line !== 'listening') throw new Error(`echo server on ${port}: ${line}`)
  }

  const serveTls = async (port: number, pem: {certPem: string; keyPem: string}): Promise<void> => {
    const child = start(inPeer(['node', '-e', TLS_SERVER, peerAddr, String(port), JSON.stringify(pem)]))
    const line = await firstLine(child, `TLS server on ${port}`)
    if (line !== 'listening') throw new Error(`TLS server on ${port}: ${line}`)
  }

  const servePc = async (port: number): Promise<void> => {
    const child = start(inNs(['node', '-e', ECHO_SERVER, pcAddr, String(port)]))
    const line = await firstLine(child, `PC echo server on ${port}`)
    if (line !== 'listening') throw new Error(`PC echo server on ${port}: ${line}`)
  }

  const openConnection = async (port: number): Promise<HeldConnection> => {
    const child = start(inNs(['node', '-e', HOLDER, peerAddr, String(port)]))
    const line = await firstLine(child, `connection to ${port}`)
    if (line !== 'connected') throw new Error(`connection to ${port}: ${line}`)
    const echoed = new Set<string>()
    const waiters = new Map<string, () => void>()
    createInterface({input: child.stdout!}).on('line', (l) => {
      if (!l.startsWith('echo ')) return
      const token = l.slice(5)
      echoed.add(token)
      waiters.get(token)?.()
    })
    let sent = 0
    return {
      close: () => child.kill('SIGKILL'),
      // A fresh token each time: a late echo of an earlier line (TCP retransmits once the path
      // reopens) never counts as the answer to this one.
      echoes: (timeoutMs = 1000) =>
        new Promise<boolean>((resolve) => {
          sent += 1
          const token = `ping-${sent}-${Date.now()}`
          const timer = setTimeout(() => {
            waiters.delete(token)
            resolve(false)
          }, timeoutMs)
          waiters.set(token, () => {
            clearTimeout(timer)
            waiters.delete(token)
            resolve(true)
          })
          child.stdin!.write(`${token}\n`)
        }),
    }
  }

  const canConnect = (port: number, timeoutMs = 1000): Promise<boolean> =>
    new Promise((resolve) => {
      const child = start(inNs(['node', '-e', CONNECT, peerAddr, String(port), String(timeoutMs)]))
      child.once('exit', (code) => resolve(code === 0))
    })

  const peerConnect = async (port: number, {fromPort, timeoutMs = 1000}: {fromPort?: number; timeoutMs?: number} = {}): Promise<string> => {
    const local = [peerAddr, ...(fromPort === undefined ? [] : [String(fromPort)])]
    const child = start(inPeer(['node', '-e', CONNECT, pcAddr, String(port), String(timeoutMs), ...local]))
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
    // 'close' comes after the child's output has all been read ('exit' may come before).
    await new Promise((resolve) => child.once('close', resolve))
    return out.trim() || `exited ${child.exitCode ?? child.signalCode}`
  }

  // `ip netns exec` reports a missing program as exit 1 plus this line; the seam's contract is a
  // missing_tool FactError, as when the program is spawned directly.
  const exec: Exec = async (file, args, options) => {
    const result = await realExec('ip', ['netns', 'exec', ns, file, ...args], options)
    if (result.code !== 0 && /^exec of ".*" failed: No such file or directory/m.test(result.stderr)) throw missingTool(file)
    return result
  }

  const connectFrom = (where: (cmd: string[]) => string[], port: number, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const child = start(where(['node', '-e', CONNECT, peerAddr, String(port), String(timeoutMs)]))
      child.once('exit', (code) => resolve(code === 0))
    })

  const bridgeVm = (): BridgedVm => {
    const vmAddr = `${subnet}.3`
    const inVm = (cmd: string[]): string[] => ['ip', 'netns', 'exec', vm, ...cmd]
    run(['ip', 'netns', 'add', vm])
    // The PC's address moves from its link to the bridge, as when a desktop bridges its NIC for VMs.
    run(['ip', '-n', ns, 'link', 'add', 'br0', 'type', 'bridge'])
    run(['ip', '-n', ns, 'addr', 'del', `${pcAddr}/24`, 'dev', pcLink])
    run(['ip', '-n', ns, 'link', 'set', pcLink, 'master', 'br0'])
    run(['ip', '-n', ns, 'link', 'add', 'veth-vm', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', vm])
    run(['ip', '-n', ns, 'link', 'set', 'veth-vm', 'master', 'br0'])
    run(['ip', '-n', ns, 'addr', 'add', `${pcAddr}/24`, 'dev', 'br0'])
    for (const link of ['br0', 'veth-vm']) run(['ip', '-n', ns, 'link', 'set', link, 'up'])
    run(['ip', '-n', ns, 'route', 'replace', 'default', 'via', peerAddr])
    run(['ip', '-n', vm, 'addr', 'add', `${vmAddr}/24`, 'dev', 'eth0'])
    for (const link of ['lo', 'eth0']) run(['ip', '-n', vm, 'link', 'set', link, 'up'])
    run(['ip', '-n', vm, 'route', 'add', 'default', 'via', peerAddr])
    // br_netfilter would hand bridged IP packets to the inet hooks; its switches are per namespace.
    if (existsSync('/proc/sys/net/bridge')) {
      for (const family of ['iptables', 'ip6tables', 'arptables']) run(inNs(['sysctl', '-q', '-w', `net.bridge.bridge-nf-call-${family}=0`]))
    }
    return {canConnect: (port, timeoutMs = 1000) => connectFrom(inVm, port, timeoutMs), inVm, vm, vmAddr}
  }

  const serveDns = async (names: Record<string, string>): Promise<void> => {
    resolvDir = mkdtempSync(join(tmpdir(), 'nmg-resolv-'))
    writeFileSync(join(resolvDir, 'resolv.conf'), `nameserver ${peerAddr}\noptions timeout:1 attempts:1\n`)
    const child = start(inPeer(['node', '-e', DNS_SERVER, peerAddr, JSON.stringify(names)]))
    const line = await firstLine(child, 'DNS server')
    if (line !== 'listening') throw new Error(`DNS server: ${line}`)
  }

  const inNsResolving = (cmd: string[]): string[] => {
    if (!resolvDir) throw new Error('serveDns first')
    // `ip netns exec` runs in a mount namespace of its own (slave to the host's): the bind mount
    // is seen by this command alone, and the host's /etc/resolv.conf is never touched.
    return inNs(['sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', join(resolvDir, 'resolv.conf'), ...cmd])
  }

  return {
    bridgeVm,
    canConnect,
    destroy,
    exec,
    inNs,
    inNsResolving,
    inPeer,
    nftRuleset: () => run(inNs(['nft', 'list', 'ruleset'])),
    serveDns,
    serveTls,
    ns,
    openConnection,
    pcAddr,
    pcLink,
    peer,
    peerAddr,
    peerConnect,
    servePc,
    serveTcp,
  }
}
