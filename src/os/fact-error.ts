// Why a table could not be gathered. The message is what lands in `{error: "why"}` (technical,
// English, for logs); `text`, when set, says it in plain words from the catalogues.
import type {LocalText, MessageKey} from '../i18n/messages.js'

export const FACT_ERROR_KINDS = ['failed', 'missing_tool', 'permission', 'timeout', 'unsupported'] as const
export type FactErrorKind = (typeof FACT_ERROR_KINDS)[number]

export class FactError extends Error {
  constructor(
    public readonly kind: FactErrorKind,
    message: string,
    public readonly text?: LocalText,
  ) {
    super(message)
    this.name = 'FactError'
  }
}

export const missingTool = (tool: string, pkg?: string): FactError =>
  new FactError('missing_tool', `${tool} not found${pkg ? ` (install ${pkg})` : ''}`, {
    key: pkg ? 'factError.missingToolPackage' : 'factError.missingTool',
    params: {pkg: pkg ?? '', tool},
  })

export const needsAdmin = (what: string): FactError =>
  new FactError('permission', `needs administrator/root: ${what}`, {key: 'factError.needsAdmin', params: {what}})

/** `key` says the situation in plain words; `what` stays as the technical detail. */
export const unsupported = (what: string, key?: MessageKey, params: LocalText['params'] = {}): FactError =>
  new FactError('unsupported', what, key ? {key, params} : undefined)
