// The platform nm-guard runs on, in the three kinds the collectors know (every other Unix is read as Linux).
import type {Platform} from './types.js'

export function currentPlatform(): Platform {
  const p = process.platform
  return p === 'win32' || p === 'darwin' ? p : 'linux'
}
