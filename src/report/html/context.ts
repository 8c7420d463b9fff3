// What every part of the HTML report needs: the reader's language and escaping helpers.
import escapeHtml from 'escape-html'

import type {Lang} from '../../i18n/lang.js'
import type {Translate} from '../../i18n/messages.js'
import type {Text} from '../../policy/types.js'

export interface HtmlContext {
  lang: Lang
  tr: Translate
  /** Escaped plain text. */
  e: (value: unknown) => string
  /** Escaped text with `quoted commands` as <code>: the policy writes commands that way. */
  rich: (value: string) => string
  /** A policy text in the reader's language, as rich(). */
  text: (value: Text) => string
}

/** No backtick survives: a pair becomes a <code> span, an unpaired one is dropped. */
export function richText(value: string): string {
  const parts = value.split('`')
  return parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part))).join('')
}

export function htmlContext(lang: Lang, tr: Translate): HtmlContext {
  return {
    e: (value) => escapeHtml(String(value)),
    lang,
    rich: richText,
    text: (value) => richText(lang === 'zh-CN' ? value.zh : value.en),
    tr,
  }
}
