// The Chinese-aware judge: createJudge(rules, unit) builds the model once (~0.3 s, imported lazily so
// that importing this module costs nothing) and answers check(password, userInputs) with a Verdict.
//
// Score: zxcvbn-ts's 0–4 over its own matches and ours, then capped at TEMPLATE_SCORE_CAP when the
// whole password reads as one of the templates Chinese users build passwords from (template.ts):
// such a password is among the first an attacker who knows these habits tries — targeted guessing
// with the unit's name, the custodian's name and birthday cracks most of them in a few hundred
// tries — whatever zxcvbn's generic count says.
import {characterClasses, passwordLength} from './rules.js'
import {type ReasonCode, sequenceReasons, templateReasons, weakReason} from './reasons.js'
import {DEFAULT_RULES, type Judge, type PasswordRules, type UnitContext, type Verdict} from './types.js'
import type {ModelResult} from './model.js'
import type {ZhPack} from './zh-pack.js'

export const TEMPLATE_SCORE_CAP = 2

export interface JudgeOptions {
  /** A dictionary pack other than data/zh-dictionary.json (tests). */
  pack?: ZhPack
}

/**
 * userInputs given to check() may be Chinese (a custodian 张伟) or Latin (an account gc_wxb): the
 * judge romanises them itself.
 */
export async function createJudge(rules: PasswordRules = DEFAULT_RULES, unit?: UnitContext, options: JudgeOptions = {}): Promise<Judge> {
  const {buildModel} = await import('./model.js')
  const model = buildModel(unit, options.pack)
  return {
    check(password, userInputs) {
      try {
        return verdictOf(model.check(password, userInputs), password, rules)
      } catch {
        // The model and zxcvbn-ts are code we did not prove total over every string: one odd password
        // must not abort a batch or `account add`. The error is dropped unread (it could quote the
        // password); the answer is the conservative one.
        return unjudged()
      }
    },
  }
}

/** A password the model could not judge: weak, score 0, with the reason saying so. */
export function unjudged(): Verdict {
  return {reasons: [weakReason('unjudged')], score: 0, weak: true}
}

export function verdictOf(seen: ModelResult, password: string, rules: PasswordRules): Verdict {
  const {result, template} = seen
  const score = (template ? Math.min(result.score, TEMPLATE_SCORE_CAP) : result.score) as Verdict['score']
  const codes: ReasonCode[] = []
  if (score < rules.minScore) {
    const found = template
      ? templateReasons(template, seen.judged)
      : sequenceReasons(result.sequence.map((m) => ({...m, category: m.pattern === 'dictionary' ? seen.category(String(m.matchedWord ?? m.token)) : undefined})))
    codes.push(...(found.length > 0 ? found : (['predictable'] as const)))
  }
  const length = passwordLength(password)
  if (length < rules.minLength) codes.push('too-short')
  if (characterClasses(password) < rules.minClasses) codes.push('few-classes')
  const params = {classes: rules.minClasses, length: rules.minLength}
  return {
    reasons: codes.map((code) => weakReason(code, params)),
    score,
    weak: score < rules.minScore || length < rules.minLength || characterClasses(password) < rules.minClasses,
  }
}
