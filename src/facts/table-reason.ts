// Why a table is unavailable, as a message: the collector's plain-words reason when it gave one,
// else one chosen by the error's kind, with the technical detail.
import type {LocalText} from '../i18n/messages.js'
import type {TableResult} from './types.js'

export function tableReason(fact: string, table: Extract<TableResult, {error: string}>): LocalText {
  if (table.text) return {key: table.text.key, params: {...table.text.params, fact}}
  return {key: `reason.unavailable.${table.kind ?? 'failed'}`, params: {detail: table.error, fact}}
}
