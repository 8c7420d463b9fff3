// The screen notice on Windows: `msg * /TIME:0` shows a message box in every session on the PC
// (console and remote desktop) until someone presses OK, and returns at once (no /W). msg.exe
// ships with Pro, Enterprise and Education; on Home it is missing, which is recorded.
import {decodeText} from '../os/decode-text.js'
import {firstLine, NOTICE_COMMAND_TIMEOUT_MS, type NoticeEnv, plainText, type ScreenNoticeChannel, type ScreenNoticeText} from './screen-notice.js'

/** msg refuses a message of 256 characters or more. */
export const MSG_MAX_CHARS = 255

/**
 * The message as ONE argument: CreateProcess gets it quoted as a whole (libuv's rules), msg shows
 * it as is. Double quotes become full-width ones, so policy text can never close that quote and
 * add a switch such as /SERVER: of its own; the message starts with our title, never with a /.
 */
export function msgArgs(text: ScreenNoticeText): string[] {
  const message = `${plainText(text.title)}\n${plainText(text.body)}`.replaceAll('"', '\uFF02')
  return ['*', '/TIME:0', [...message].slice(0, MSG_MAX_CHARS).join('')]
}

export async function showWindowsNotice(text: ScreenNoticeText, env: NoticeEnv): Promise<ScreenNoticeChannel[]> {
  try {
    const result = await env.exec('msg', msgArgs(text), {timeoutMs: NOTICE_COMMAND_TIMEOUT_MS})
    if (result.code === 0) return [{channel: 'msg', status: 'shown'}]
    // msg speaks the console code page (GBK on Chinese Windows).
    return [{channel: 'msg', error: `exit ${result.code}: ${firstLine(decodeText(result.raw) || result.stderr)}`, status: 'failed'}]
  } catch (error) {
    return [{channel: 'msg', error: (error as Error).message, status: 'failed'}]
  }
}
