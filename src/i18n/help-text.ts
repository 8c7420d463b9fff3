// Help text for oclif's static command metadata. It is read once, when the manifest is built, so
// it carries both languages: English, then Chinese, from the catalogues.
import {t} from './messages.js'

export function helpText(key: string, separator = ' · '): string {
  const en = t('en', key)
  const zh = t('zh-CN', key)
  return en === zh ? en : `${en}${separator}${zh}`
}

export const helpDescription = (key: string): string => helpText(key, '\n')
