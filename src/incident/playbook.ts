// The 断网预案 as a human checklist (`nm-guard playbook`): what a custodian does from the first sign
// of intrusion to reconnecting, in order. All text is in messages/*.json (`playbook.*`).
import type {Lang} from '../i18n/lang.js'
import {type MessageKey, type Params, t} from '../i18n/messages.js'

export interface PlaybookStep {
  title: string
  detail: string
}

export interface Playbook {
  title: string
  steps: PlaybookStep[]
}

export function playbook(lang: Lang): Playbook {
  const tr = (key: MessageKey, params?: Params): string => t(lang, key, params)
  return {
    steps: [
      {detail: tr('playbook.recognise.detail'), title: tr('playbook.recognise.title')},
      {detail: tr('playbook.disconnect.detail'), title: tr('playbook.disconnect.title')},
      {detail: tr('playbook.noPowerOff.detail'), title: tr('playbook.noPowerOff.title')},
      {detail: tr('playbook.evidence.detail'), title: tr('playbook.evidence.title')},
      {detail: tr('playbook.report.detail'), title: tr('playbook.report.title')},
      {detail: tr('playbook.passwords.detail'), title: tr('playbook.passwords.title')},
      {detail: tr('playbook.content.detail'), title: tr('playbook.content.title')},
      {detail: tr('playbook.reconnect.detail'), title: tr('playbook.reconnect.title')},
      {detail: tr('playbook.review.detail'), title: tr('playbook.review.title')},
    ],
    title: tr('playbook.title'),
  }
}

/** Numbered text for the terminal: the title, then each step with its detail indented under it. */
export function renderPlaybook(book: Playbook): string {
  const width = String(book.steps.length).length
  const lines = [book.title, '']
  book.steps.forEach((step, i) => {
    const number = `${String(i + 1).padStart(width)}. `
    lines.push(`${number}${step.title}`)
    for (const line of step.detail.split('\n')) lines.push(`${' '.repeat(number.length)}${line}`)
  })
  return lines.join('\n')
}
