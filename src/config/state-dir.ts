// Where nm-guard keeps caches, queues and journals. Root/SYSTEM agents use a machine-wide folder.
import {homedir} from 'node:os'
import {join} from 'node:path'

export function stateDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NMG_STATE_DIR) return env.NMG_STATE_DIR
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (platform === 'win32') return join(env.ProgramData ?? env.LOCALAPPDATA ?? homedir(), 'nm-guard')
  if (platform === 'darwin') return root ? '/Library/Application Support/nm-guard' : join(homedir(), 'Library', 'Application Support', 'nm-guard')
  if (root) return '/var/lib/nm-guard'
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'nm-guard')
}
