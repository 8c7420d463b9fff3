// The screen notice on macOS: a dialog through osascript. The AppleScript is fixed text and the
// notice travels as the run handler's arguments, never inside a string literal, so nothing in the
// policy's contact can end a literal and run as script. System Events shows the dialog while
// osascript, ignoring the reply, returns at once: disconnect does not wait for someone to press OK.
import {firstLine, NOTICE_COMMAND_TIMEOUT_MS, type NoticeEnv, plainText, type ScreenNoticeChannel, type ScreenNoticeText} from './screen-notice.js'

export const OSASCRIPT = '/usr/bin/osascript'

/** item 1: title, 2: body, 3: the button's label. */
export const DIALOG_SCRIPT = [
  'on run argv',
  'ignoring application responses',
  'tell application "System Events" to display dialog (item 2 of argv) with title (item 1 of argv) buttons {item 3 of argv} default button 1 with icon stop',
  'end ignoring',
  'end run',
]

export function osascriptArgs(text: ScreenNoticeText): string[] {
  // The title first: osascript reads options only before the first argument, and it starts with 【.
  return [...DIALOG_SCRIPT.flatMap((line) => ['-e', line]), plainText(text.title), plainText(text.body), plainText(text.button)]
}

export async function showDarwinNotice(text: ScreenNoticeText, env: NoticeEnv): Promise<ScreenNoticeChannel[]> {
  try {
    const result = await env.exec(OSASCRIPT, osascriptArgs(text), {timeoutMs: NOTICE_COMMAND_TIMEOUT_MS})
    if (result.code === 0) return [{channel: 'osascript', status: 'shown'}]
    return [{channel: 'osascript', error: `exit ${result.code}: ${firstLine(result.stderr || result.stdout)}`, status: 'failed'}]
  } catch (error) {
    return [{channel: 'osascript', error: (error as Error).message, status: 'failed'}]
  }
}
