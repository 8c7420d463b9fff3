// Why a table could not be gathered. The message is what lands in `{error: "why"}`.

export type FactErrorKind = 'failed' | 'missing_tool' | 'permission' | 'timeout' | 'unsupported'

export class FactError extends Error {
  constructor(
    public readonly kind: FactErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'FactError'
  }
}

export const missingTool = (tool: string, pkg?: string): FactError =>
  new FactError('missing_tool', `${tool} not found${pkg ? ` (install ${pkg})` : ''}`)

export const needsAdmin = (what: string): FactError =>
  new FactError('permission', `needs administrator/root: ${what}`)

export const unsupported = (what: string): FactError => new FactError('unsupported', what)
