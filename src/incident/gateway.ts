// The default gateway to probe after the cut, read before it: Linux from the journalled routes,
// Windows and macOS from their route tools (their snapshots keep no route table).
import type {Exec, Platform} from '../facts/types.js'
import {parseRouteGet} from './gateway.darwin.js'
import {parseRoutePrint} from './gateway.win32.js'
import type {SavedNetworkState} from './types.js'
import {defaultGateway} from './verify-cut.js'

export async function gatewayOf(platform: Platform, saved: SavedNetworkState, exec: Exec): Promise<null | string> {
  if (platform === 'linux') return defaultGateway(saved.routes)
  try {
    if (platform === 'win32') return parseRoutePrint((await exec('route', ['print', '-4', '0.0.0.0'], {timeoutMs: 5000})).stdout)
    return parseRouteGet((await exec('route', ['-n', 'get', 'default'], {timeoutMs: 5000})).stdout)
  } catch {
    // No gateway known: verification says "none" for it rather than failing the cut.
    return null
  }
}
