// Tells the person at the PC, on screen, that it was cut off for a security incident, not to plug
// it back in or restart its network, and whom to call (四(二)-12: the plan's people come first):
// Linux `wall` and `notify-send` in each graphical session, Windows `msg *`, macOS a dialog. Fired
// by disconnect once the cut is verified and never awaited by the cut; bounded in time; its outcome
// goes into the journal's timeline. A notice that cannot be shown is recorded, never fatal.
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {withToolPaths} from '../os/tools.js'
import {formatLocalTime} from './draft/local-time.js'

export interface ScreenNoticeText {
  title: string
  body: string
  /** The dialog's one button, where there is one (macOS). */
  button: string
}

export interface ScreenNoticeChannel {
  /** wall, notify-send (uid 1000), msg, osascript. */
  channel: string
  /** shown: handed to the screen without error; none: nobody to show it to; failed: see error. */
  status: 'failed' | 'none' | 'shown'
  error?: string
}

export interface ScreenNoticeOutcome {
  /** At least one channel showed it. */
  shown: boolean
  /** When the last channel finished (or the budget ran out). */
  at: string
  channels: ScreenNoticeChannel[]
}

/** What each platform module does with the text. */
export interface NoticeEnv {
  exec: Exec
  /** Linux: where logind keeps each user's runtime folder and session bus (tests point it elsewhere). */
  runUserDir?: string
}

/** The whole notice, slow parts included, never takes longer than this. */
export const SCREEN_NOTICE_BUDGET_MS = 15_000
/** One program that shows it (wall, notify-send, msg, osascript). */
export const NOTICE_COMMAND_TIMEOUT_MS = 5000
/** The policy's contact is a phone line and a name, not a letter. */
const CONTACT_MAX = 120

/** Control characters (a terminal escape in policy text) and bidirectional overrides go; line breaks stay. */
// eslint-disable-next-line no-control-regex
export const plainText = (text: string): string => text.replaceAll(/\r\n?/g, '\n').replaceAll(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')

/** The notice in `lang`: the policy's contact, or the unit's security officer when it names none. */
export function screenNoticeText(lang: Lang, options: {contact: null | string; at: Date}): ScreenNoticeText {
  const contact = options.contact ? plainText(options.contact).replaceAll('\n', ' ').trim().slice(0, CONTACT_MAX) : ''
  return {
    body: t(lang, 'incident.screen.body', {contact: contact || t(lang, 'incident.screen.contactUnknown'), time: formatLocalTime(options.at)}),
    button: t(lang, 'incident.screen.button'),
    title: t(lang, 'incident.screen.title'),
  }
}

/** The policy's incident contact in `lang`; null when it names none or cannot be loaded (the notice still goes out). */
export async function incidentContact(lang: Lang, root: string, policy?: string): Promise<null | string> {
  try {
    const {loadPolicy} = await import('../policy/load-policy.js')
    const contact = (await loadPolicy(policy, root)).policy.policy.incident_contact
    return contact ? (lang === 'en' ? contact.en : contact.zh) : null
  } catch {
    return null
  }
}

export async function showScreenNotice(platform: Platform, text: ScreenNoticeText, env: NoticeEnv): Promise<ScreenNoticeChannel[]> {
  if (platform === 'linux') return (await import('./screen-notice.linux.js')).showLinuxNotice(text, env)
  if (platform === 'win32') return (await import('./screen-notice.win32.js')).showWindowsNotice(text, env)
  return (await import('./screen-notice.darwin.js')).showDarwinNotice(text, env)
}

export interface StartScreenNotice extends NoticeEnv {
  platform: Platform
  /** The notice's language: Chinese for the person at the PC. */
  lang: Lang
  /** The state folder, where the parsed policy is cached. */
  root: string
  /** The policy that names the contact (default: the built-in one, as the report draft uses). */
  policy?: string
  /** When the PC was cut off. */
  isolatedAt: Date
  now?: () => Date
  budgetMs?: number
}

/** Loads the contact and shows the notice; resolves within the budget, never rejects. */
export async function startScreenNotice(options: StartScreenNotice): Promise<ScreenNoticeOutcome> {
  const now = options.now ?? (() => new Date())
  const budget = options.budgetMs ?? SCREEN_NOTICE_BUDGET_MS
  const done = (channels: ScreenNoticeChannel[]): ScreenNoticeOutcome => ({at: now().toISOString(), channels, shown: channels.some((c) => c.status === 'shown')})
  const work = (async () => {
    const contact = await incidentContact(options.lang, options.root, options.policy)
    const env = {exec: withToolPaths(options.exec, options.platform), runUserDir: options.runUserDir}
    return done(await showScreenNotice(options.platform, screenNoticeText(options.lang, {at: options.isolatedAt, contact}), env))
  })().catch((error: Error) => done([{channel: '-', error: error.message, status: 'failed'}]))
  let timer: NodeJS.Timeout | undefined
  // Each program has its own timeout, which kills it; this only stops the wait for them.
  const late = new Promise<ScreenNoticeOutcome>((resolve) => {
    timer = setTimeout(() => resolve(done([{channel: '-', error: `not shown within ${budget} ms`, status: 'failed'}])), budget)
    timer.unref()
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** A failed program's first line of output, for the journal (never the whole of it). */
export function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? ''
}

/** The journal's one-line account of the outcome: which channels showed it, and why others did not. */
export function channelsText(channels: ScreenNoticeChannel[]): string {
  return channels.map((c) => (c.status === 'shown' ? c.channel : `${c.channel}: ${c.status === 'none' ? c.status : (c.error ?? 'failed')}`)).join(', ')
}
