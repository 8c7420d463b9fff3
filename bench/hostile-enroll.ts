// `npm run bench:hostile-enroll`: what a hostile enrollment request costs the collector (issue #11
// item 1.1). `nm-guard collector serve` runs as its own process (bin/dev.js) on loopback, so its CPU
// is read from /proc. Hostile: a CSR with a 4096-bit modulus and a 4096-bit public exponent (the
// attack pure-JS verification took 29 s of CPU on), sent without a valid token, and with one.
// Then /healthz is timed while 20 such requests arrive at once, BENCH_RUNS (10) times. Every request
// comes from its own loopback address, so the per-source limit on guessing does not cut it short;
// one row shows one address guessing on.
import {readFileSync} from 'node:fs'
import {request} from 'node:https'
import {performance} from 'node:perf_hooks'

import {API} from '../src/collector/protocol.js'
import {freePort, serveCollector, stopCollector} from '../test/helpers/collector-process.js'
import {insertEnrollToken, prepareCollector} from '../test/helpers/enrolled-agent.js'
import {csrFor, rsaPublicKey} from '../test/helpers/hostile-csr.js'
import {median} from './stats.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 10)
const HOSTILE = Number(process.env.BENCH_HOSTILE ?? 200)

function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000
}

/**
 * Each hostile request from its own loopback address (127.0.x.y), unless `from` is given: the
 * collector limits failed tokens per source (issue #11 1.8), and one source would be answered 429
 * after its tenth guess, unchecked. Spread out, every request here is a full token check.
 */
let nextSource = 0
const freshSource = (): string => {
  nextSource++
  return `127.0.${2 + Math.floor(nextSource / 250)}.${1 + (nextSource % 250)}`
}

function post(port: number, ca: string, path: string, body?: string, from = freshSource()): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({agent: false, ca, headers: body ? {'content-type': 'application/json'} : {}, host: '127.0.0.1', localAddress: from, method: body ? 'POST' : 'GET', path, port}, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

console.log(`nm-guard bench:hostile-enroll — ${new Date().toISOString()} — node ${process.version}`)
const {db, dir} = await prepareCollector('nmg-bench-hostile-', (d) => `sqlite:${d}/collector.db`, 1)
const port = await freePort()
const child = await serveCollector(dir, db, port)
const ca = readFileSync(`${dir}/ca.cert.pem`, 'utf8')
const hostileCsr = csrFor(rsaPublicKey(4096, 'big'))
try {
  const body = (token: string) => JSON.stringify({csr_pem: hostileCsr, hostname: 'h', token})
  // Warm-up: TLS, the JIT, the prepared statements.
  for (let i = 0; i < 20; i++) await post(port, ca, API.enroll, body('nmg_enroll_guess'))

  // Sequential, so the collector's CPU is only these requests (each includes a full TLS handshake).
  const measure = async (label: string, tokenFor: () => Promise<string> | string) => {
    const tokens = await Promise.all(Array.from({length: HOSTILE}, tokenFor))
    const before = cpuMs(child.pid)
    const statuses = new Set<number>()
    for (const token of tokens) statuses.add(await post(port, ca, API.enroll, body(token)))
    const perRequest = (cpuMs(child.pid) - before) / HOSTILE
    console.log(`| ${label} | ${HOSTILE} | ${[...statuses].join(', ')} | ${perRequest.toFixed(2)} |`)
  }
  console.log('\n| hostile enroll request | requests | answers | collector CPU per request (ms, TLS handshake included) |')
  console.log('|---|---|---|---|')
  await measure('no valid token', () => 'nmg_enroll_guess')
  await measure('a valid token (refused by the key policy, token kept)', () => insertEnrollToken(db, 1))
  const baseline = cpuMs(child.pid)
  for (let i = 0; i < HOSTILE; i++) await post(port, ca, API.health)
  console.log(`| (for scale) GET /healthz | ${HOSTILE} | 200 | ${((cpuMs(child.pid) - baseline) / HOSTILE).toFixed(2)} |`)

  // One source guessing on: refused unchecked once past its limit.
  const limitedBefore = cpuMs(child.pid)
  const limited = new Set<number>()
  for (let i = 0; i < HOSTILE; i++) limited.add(await post(port, ca, API.enroll, body('nmg_enroll_guess'), '127.0.1.1'))
  console.log(`| no valid token, all from one address (limited after its 10th) | ${HOSTILE} | ${[...limited].join(', ')} | ${((cpuMs(child.pid) - limitedBefore) / HOSTILE).toFixed(2)} |`)

  const latencies: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const flood = Array.from({length: 20}, () => post(port, ca, API.enroll, body('nmg_enroll_guess')))
    const started = performance.now()
    await post(port, ca, API.health)
    latencies.push(performance.now() - started)
    await Promise.all(flood)
  }
  console.log(`\n/healthz while 20 hostile enroll requests arrive at once: median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (${RUNS} runs; goal < 50 ms)`)
} finally {
  await stopCollector(child)
}
