// Input and output of `nm-guard password check`: passwords one per line, results one per line.
// A result line holds the score, weak or ok and the reasons — never the password.
import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'

import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import type {Verdict} from './types.js'

/** The lines of `input` (CR LF or LF), without their endings; no extra line for a final newline. */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  const rl = createInterface({crlfDelay: Infinity, input, terminal: false})
  try {
    for await (const line of rl) yield line
  } finally {
    rl.close()
  }
}

export function formatVerdict(verdict: Verdict, lang: Lang): string {
  if (!verdict.weak) return t(lang, 'password.result.ok', {score: verdict.score})
  const words = verdict.reasons.map((r) => (lang === 'zh-CN' ? r.zh : r.en))
  return t(lang, 'password.result.weak', {reasons: words.join(t(lang, 'password.reasonSeparator')), score: verdict.score})
}
