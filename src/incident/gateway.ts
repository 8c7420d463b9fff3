// The default gateway to probe after the cut. Linux: from the journalled routes. Windows and macOS:
// through the facts collectors' own route readers (Get-NetRoute in the adapters batch; `route -n get
// default`), loaded only there. Read beside the cut, never before it: these tools work offline.
import type {Exec, Platform} from '../facts/types.js'
import type {SavedNetworkState} from './types.js'
import {defaultGateway} from './verify-cut.js'

export async function gatewayOf(platform: Platform, saved: SavedNetworkState, exec: Exec): Promise<null | string> {
  if (platform === 'linux') return defaultGateway(saved.routes)
  try {
    if (platform === 'darwin') {
      const {defaultRoute} = await import('../facts/darwin/network.js')
      return (await defaultRoute(exec))?.gateway ?? null
    }
    const [{adapterList}, {makeContext}] = await Promise.all([import('../facts/win32/net-adapters.js'), import('../facts/gather.js')])
    return (await adapterList(makeContext('win32', {exec}))).find((a) => a.defaultRoute)?.gateway ?? null
  } catch {
    // No gateway known: verification says "none" for it rather than failing the cut.
    return null
  }
}
