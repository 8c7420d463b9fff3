// A report's time as people read it: the local date and time in their language, with the zone.
import type {Lang} from '../i18n/lang.js'

export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(lang, {dateStyle: 'long', timeStyle: 'long'}).format(date)
}
