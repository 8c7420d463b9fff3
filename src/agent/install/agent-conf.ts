// agent.conf: the install-time settings a package leaves for `nm-guard provision`, as KEY=VALUE
// lines named like the MSI's properties. Parsed strictly (an unknown key is a typo that would
// otherwise leave a PC unenrolled without a word), rewritten line by line so comments survive.
import {join, win32} from 'node:path'

import {EXIT} from '../../cli/exit-codes.js'
import {stateDir} from '../../config/state-dir.js'
import {UserError} from '../../cli/user-error.js'

export const CONF_KEYS = ['COLLECTOR_URL', 'ENROLL_TOKEN', 'CA_FINGERPRINT'] as const

export type ConfKey = (typeof CONF_KEYS)[number]

/** Per-PC settings that enrollment does not need: ASSET_NUMBER is printed on the audit report. */
export const OPTIONAL_CONF_KEYS = ['ASSET_NUMBER'] as const

export type AgentConf = Partial<Record<ConfKey | (typeof OPTIONAL_CONF_KEYS)[number], string>>

/** Bigger than any real agent.conf by far; a bigger file is refused, not read. */
export const MAX_CONF_BYTES = 16 * 1024

/**
 * Where the packages look: /etc/nm-guard on Linux; on Windows the agent's own folder under
 * %ProgramData%\nm-guard, which provisioning restricts to SYSTEM and Administrators.
 */
export function agentConfPath(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NMG_AGENT_CONF) return env.NMG_AGENT_CONF
  // Beside the agent's identity, in the folder provisioning restricts.
  if (platform === 'win32') return win32.join(stateDir(env, 'win32'), 'agent', 'agent.conf')
  if (platform === 'darwin') return '/Library/Application Support/nm-guard/agent.conf'
  return join('/etc', 'nm-guard', 'agent.conf')
}

const isKey = (key: string): key is keyof AgentConf => (CONF_KEYS as readonly string[]).includes(key) || (OPTIONAL_CONF_KEYS as readonly string[]).includes(key)

/** One value: surrounding quotes (as a shell or an .ini writer leaves them) removed. */
function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1)
  return v
}

/** Parses the file's text; `file` only names it in errors, which never quote a value. */
export function parseAgentConf(text: string, file: string): AgentConf {
  const conf: AgentConf = {}
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const eq = line.indexOf('=')
    const key = (eq < 0 ? line : line.slice(0, eq)).trim().toUpperCase()
    if (eq < 0 || !isKey(key)) throw new UserError('provision.badConfLine', {file, line: i + 1, keys: CONF_KEYS.join(', ')}, EXIT.usage)
    const value = unquote(line.slice(eq + 1))
    if (value) conf[key] = value
  }
  return conf
}

/** A fresh file for `settings` (MSI properties or flags), with a header saying what it is. */
export function renderAgentConf(settings: AgentConf): string {
  const lines = ['# nm-guard agent settings, read by `nm-guard provision` (install time and each scheduled run).', '# ENROLL_TOKEN is removed from this file as soon as enrollment succeeds.']
  for (const key of [...CONF_KEYS, ...OPTIONAL_CONF_KEYS]) if (settings[key]) lines.push(`${key}=${settings[key]}`)
  return `${lines.join('\n')}\n`
}

/** The same text less its ENROLL_TOKEN lines, replaced by a comment saying when and why. */
export function scrubToken(text: string, when: Date): string {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw) => {
      const line = raw.trim()
      const eq = line.indexOf('=')
      if (eq < 0 || line.startsWith('#') || line.startsWith(';') || line.slice(0, eq).trim().toUpperCase() !== 'ENROLL_TOKEN') return raw
      return `# ENROLL_TOKEN removed after enrollment (${when.toISOString()})`
    })
    .join('\n')
}
