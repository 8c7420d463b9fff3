// `npm run bench:passwords`: the strength model's quality and speed (docs/benchmarks.md, issue #3)
// beside plain zxcvbn-ts (common + English dictionaries, default options) on generated sets:
//   weak   — BENCH_WEAK (1,200) passwords from passwords-zh.md's structures, seeded PRNG (BENCH_SEED);
//   strong — BENCH_STRONG (600): half 12–20 CSPRNG characters, half five-syllable pinyin passphrases
//            with two digits.
// Detection = weak scored ≤ 2; acceptance = strong scored ≥ 3. The model is run without the unit's
// context (no user inputs), so places count only if its dictionary pack knows them.
// Then decorated templates (issue #12), from a seed of their own (BENCH_DECORATED_SEED):
//   decorated — BENCH_DECORATED (1,200) weak templates of five families, each with one of six rules
//               attackers apply (append, prepend, case, l33t, inserted separator, two rules);
//   strong    — BENCH_STRONG again from that seed, and BENCH_WORDY (400) strong passwords made of or
//               holding words (diceware-like English phrases, a place name inside random characters).
import {performance} from 'node:perf_hooks'

import {ZxcvbnFactory} from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'

import {createJudge} from '../src/password/judge.js'
import {decoratedSet, loadPlaces, randomString, seeded, strongSet, syllableInventory, weakSet, wordyStrongSet} from './password-sets.js'

const SEED = Number(process.env.BENCH_SEED ?? 20230317)
const WEAK = Number(process.env.BENCH_WEAK ?? 1200)
const STRONG = Number(process.env.BENCH_STRONG ?? 600)
const VERBOSE = process.env.BENCH_VERBOSE === '1'
const DECORATED_SEED = Number(process.env.BENCH_DECORATED_SEED ?? 20240229)
const DECORATED = Number(process.env.BENCH_DECORATED ?? 1200)
const WORDY = Number(process.env.BENCH_WORDY ?? 400)

type Scorer = (password: string) => number

interface Timed {
  scores: number[]
  ms: number[]
}

function run(score: Scorer, passwords: readonly string[]): Timed {
  const scores: number[] = []
  const ms: number[] = []
  for (const p of passwords) {
    const t = performance.now()
    scores.push(score(p))
    ms.push(performance.now() - t)
  }
  return {ms, scores}
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}
const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)}%`
const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2))

function timeAt(score: Scorer, length: number, runs: number): number {
  const samples = Array.from({length: runs}, () => randomString(length))
  return quantile(run(score, samples).ms, 0.5)
}

const t0 = performance.now()
const judge = await createJudge()
const modelBuild = performance.now() - t0
const t1 = performance.now()
const plain = new ZxcvbnFactory({dictionary: {...common.dictionary, ...en.dictionary}, graphs: common.adjacencyGraphs, translations: en.translations})
const plainBuild = performance.now() - t1

const model: Scorer = (p) => judge.check(p).score
const baseline: Scorer = (p) => plain.check(p).score

const rng = seeded(SEED)
const weak = weakSet(rng, WEAK, loadPlaces())
const strong = strongSet(rng, STRONG, syllableInventory())

// Warm both up (JIT) on a set of their own before timing.
const warm = weakSet(seeded(SEED + 1), 200, loadPlaces()).map((w) => w.password)
run(model, warm)
run(baseline, warm)

const results = {
  baseline: {strong: run(baseline, strong.map((s) => s.password)), weak: run(baseline, weak.map((w) => w.password))},
  model: {strong: run(model, strong.map((s) => s.password)), weak: run(model, weak.map((w) => w.password))},
}

const detected = (t: Timed): number => t.scores.filter((s) => s <= 2).length
const accepted = (t: Timed): number => t.scores.filter((s) => s >= 3).length
const allMs = (r: {weak: Timed; strong: Timed}): number[] => [...r.weak.ms, ...r.strong.ms]

const modelAt64 = timeAt(model, 64, 50)
const modelAt1000 = timeAt(model, 1000, 20)
const plainAt64 = timeAt(baseline, 64, 10)
const plainAt1000 = timeAt(baseline, 1000, 2)

const lines: string[] = []
const out = (s = ''): number => lines.push(s)
out(`Seed ${SEED}: ${weak.length} weak, ${strong.length} strong (Node ${process.version}, ${new Date().toISOString().slice(0, 10)}).`)
out()
out('| | nm-guard model | plain zxcvbn-ts (common + en) | target |')
out('|---|---|---|---|')
out(`| weak detected (score ≤ 2) | ${pct(detected(results.model.weak), weak.length)} | ${pct(detected(results.baseline.weak), weak.length)} | ≥ 97% |`)
out(`| strong accepted (score ≥ 3) | ${pct(accepted(results.model.strong), strong.length)} | ${pct(accepted(results.baseline.strong), strong.length)} | ≥ 98% |`)
out(`| median ms per check (sets above) | ${fmt(quantile(allMs(results.model), 0.5))} | ${fmt(quantile(allMs(results.baseline), 0.5))} | ≤ 5 |`)
out(`| p95 ms per check (sets above) | ${fmt(quantile(allMs(results.model), 0.95))} | ${fmt(quantile(allMs(results.baseline), 0.95))} | |`)
out(`| median ms at 64 random characters | ${fmt(modelAt64)} | ${fmt(plainAt64)} | ≤ 5 |`)
out(`| median ms at 1,000 random characters | ${fmt(modelAt1000)} | ${fmt(plainAt1000)} | ≤ 50 |`)
out(`| building the estimator (ms, once per process) | ${fmt(modelBuild)} | ${fmt(plainBuild)} | |`)
out()
out('Detection by structure (model / plain):')
out()
out('| structure | n | model | plain |')
out('|---|---|---|---|')
const byStructure = (set: Array<{structure: string}>, m: Timed, b: Timed, good: (s: number) => boolean): void => {
  const groups = new Map<string, number[]>()
  set.forEach((e, k) => groups.set(e.structure, [...(groups.get(e.structure) ?? []), k]))
  for (const [name, ks] of [...groups.entries()].sort()) {
    const hit = (t: Timed): number => ks.filter((k) => good(t.scores[k] as number)).length
    out(`| ${name} | ${ks.length} | ${pct(hit(m), ks.length)} | ${pct(hit(b), ks.length)} |`)
  }
}
byStructure(weak, results.model.weak, results.baseline.weak, (s) => s <= 2)
byStructure(strong, results.model.strong, results.baseline.strong, (s) => s >= 3)

// Decorated templates, with their own seed: the held-out measure of issue #12.
const places = loadPlaces()
const decoratedRng = seeded(DECORATED_SEED)
const decorated = decoratedSet(decoratedRng, DECORATED, places)
const strong2 = [...strongSet(decoratedRng, STRONG, syllableInventory()), ...wordyStrongSet(decoratedRng, WORDY, en.dictionary['commonWords-en'] as string[], places)]
const named = (p: string): boolean => judge.check(p).reasons.some((r) => r.code === 'decorated-template')
const decoratedResults = {
  baseline: {strong: run(baseline, strong2.map((s) => s.password)), weak: run(baseline, decorated.map((w) => w.password))},
  model: {strong: run(model, strong2.map((s) => s.password)), weak: run(model, decorated.map((w) => w.password))},
}
const namedCount = decorated.filter((w, k) => (decoratedResults.model.weak.scores[k] as number) <= 2 && named(w.password)).length

out()
out(`Decorated templates, seed ${DECORATED_SEED}: ${decorated.length} decorated weak, ${strong2.length} strong.`)
out()
out('| | nm-guard model | plain zxcvbn-ts (common + en) | target |')
out('|---|---|---|---|')
out(`| decorated weak detected (score ≤ 2) | ${pct(detected(decoratedResults.model.weak), decorated.length)} | ${pct(detected(decoratedResults.baseline.weak), decorated.length)} | ≥ 97% |`)
out(`| of those, named "${judge.check('Gaocheng@2023x').reasons[0]?.en ?? ''}" | ${pct(namedCount, detected(decoratedResults.model.weak))} | | |`)
out(`| strong accepted (score ≥ 3) | ${pct(accepted(decoratedResults.model.strong), strong2.length)} | ${pct(accepted(decoratedResults.baseline.strong), strong2.length)} | ≥ 98% |`)
out(`| median ms per check (sets above) | ${fmt(quantile(allMs(decoratedResults.model), 0.5))} | ${fmt(quantile(allMs(decoratedResults.baseline), 0.5))} | ≤ 5 |`)
out(`| p95 ms per check (sets above) | ${fmt(quantile(allMs(decoratedResults.model), 0.95))} | ${fmt(quantile(allMs(decoratedResults.baseline), 0.95))} | |`)
out()
out('By structure (model / plain):')
out()
out('| structure | n | model | plain |')
out('|---|---|---|---|')
byStructure(decorated, decoratedResults.model.weak, decoratedResults.baseline.weak, (s) => s <= 2)
byStructure(strong2, decoratedResults.model.strong, decoratedResults.baseline.strong, (s) => s >= 3)

console.log(lines.join('\n'))
if (VERBOSE) {
  const missed = weak.filter((_, k) => (results.model.weak.scores[k] as number) > 2)
  const rejected = strong.filter((_, k) => (results.model.strong.scores[k] as number) < 3)
  console.log(`\nmissed weak (${missed.length}):`, missed.map((w) => `${w.password} [${w.structure}]`).join('  '))
  console.log(`\nrejected strong (${rejected.length}):`, rejected.map((s) => s.password).join('  '))
  const missedDecorated = decorated.filter((_, k) => (decoratedResults.model.weak.scores[k] as number) > 2)
  const rejected2 = strong2.filter((_, k) => (decoratedResults.model.strong.scores[k] as number) < 3)
  console.log(`\nmissed decorated (${missedDecorated.length}):`, missedDecorated.map((w) => `${w.password} [${w.structure}]`).join('  '))
  console.log(`\nrejected strong, decorated seed (${rejected2.length}):`, rejected2.map((s) => `${s.password} [${s.structure}]`).join('  '))
}
