// Help text for oclif's static command metadata. It is read once, when the manifest is built, so it
// holds the English text; the help class (src/cli/help.ts) finds the catalogue key again from that
// text and shows the user's language. English text rather than an encoded key: anything else that
// reads a summary (oclif's own error output, the manifest) still reads a sentence.
import type {Lang} from './lang.js'
import {catalogue, hasMessage, type MessageKey, t} from './messages.js'

export function helpText(key: MessageKey): string {
  return t('en', key)
}

export const helpDescription = helpText

/** The help.* keys whose English text the help may meet; the first key wins when two share a text. */
const HELP_PREFIX = 'help.'

let byText: Map<string, MessageKey> | undefined

/** The help.* catalogue key whose English is exactly `text`, if there is one. */
export function helpKeyOf(text: string): MessageKey | undefined {
  if (!byText) {
    byText = new Map()
    for (const [key, en] of Object.entries(catalogue('en'))) if (key.startsWith(HELP_PREFIX) && hasMessage(key) && !byText.has(en)) byText.set(en, key)
  }
  return byText.get(text)
}

/** `text` in `lang` when it is a help text of the catalogues; anything else unchanged. */
export function translateHelp(lang: Lang, text: string): string
export function translateHelp(lang: Lang, text: string | undefined): string | undefined
export function translateHelp(lang: Lang, text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const key = helpKeyOf(text)
  return key ? t(lang, key) : text
}
