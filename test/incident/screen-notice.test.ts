// The notice on the isolated PC's screen (#11 2.6): the exact programs and arguments each platform
// runs, a hostile contact in the policy that stays text on every one of them, a real notify-send
// delivered to a real notification daemon in a test-made graphical session, a real missing program
// recorded and never fatal, and disconnect recording the outcome in its timeline.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import {expect} from 'chai'

import type {Exec} from '../../src/facts/types.js'
import {disconnect} from '../../src/incident/disconnect.js'
import {readJournal} from '../../src/incident/journal.js'
import {DIALOG_SCRIPT, OSASCRIPT, osascriptArgs} from '../../src/incident/screen-notice.darwin.js'
import {graphicalUid, notifyCommand, parseSessionIds, showLinuxNotice, wallCommand} from '../../src/incident/screen-notice.linux.js'
import {MSG_MAX_CHARS, msgArgs} from '../../src/incident/screen-notice.win32.js'
import {screenNoticeText, startScreenNotice} from '../../src/incident/screen-notice.js'
import {defaultPolicyPath} from '../../src/policy/load-policy.js'
import {exec as realExec} from '../../src/os/spawn.js'
import {missingTool} from '../../src/os/fact-error.js'
import {toolName, toolPath} from '../../src/os/tools.js'
import {splitWindowsCommandLine, windowsCommandLine} from '../../src/os/windows-command-line.js'
import {psFixture, psStdout} from '../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'
import {startXvfb, xvfbPresent} from '../helpers/xvfb.js'

/** A contact as a careless (or hostile) policy editor might write it: quotes, switches, shell, markup, AppleScript, a terminal escape. */
const HOSTILE = '区委网信办 张三 0311-1234567" /SERVER:evil & $(reboot) `id` <b>x</b>\u001b[31m"; end run; do shell script "id'
const AT = new Date('2026-11-27T08:00:01Z')
const text = screenNoticeText('zh-CN', {at: AT, contact: HOSTILE})
/** The contact as shown: the escape character gone, everything else as typed. */
const SHOWN_CONTACT = HOSTILE.replace('\u001b', '')

/** The default policy with an incident contact added, as a district would. */
function policyWithContact(dir: string, zh: string): string {
  const file = join(dir, 'district.yaml')
  const yaml = readFileSync(defaultPolicyPath(), 'utf8').replace('\n  references:\n', `\n  incident_contact:\n    zh: ${JSON.stringify(zh)}\n    en: "District security duty line"\n  references:\n`)
  writeFileSync(file, yaml)
  return file
}

describe('the screen notice on an isolated PC', () => {
  it('says in Chinese what happened, what not to do and whom to call; without a contact, the unit\'s security officer', () => {
    expect(text.title).to.equal('【网络安全事件】本机已断网')
    expect(text.body).to.contain('因处置网络安全事件').and.to.contain('不要重新插上网线').and.to.contain('重启网络').and.to.contain(`请立即联系：${SHOWN_CONTACT}。`)
    expect(text.body).not.to.contain('\u001b')
    expect(screenNoticeText('zh-CN', {at: AT, contact: null}).body).to.contain('请立即联系：本单位网络安全负责人。')
    expect(screenNoticeText('en', {at: AT, contact: null}).body).to.contain("Call now: your unit's person in charge of network security.")
  })

  it('Linux: wall reads the message on stdin; notify-send runs as the session user on that user\'s bus, the text after --, markup escaped', () => {
    expect(wallCommand(text)).to.deep.equal({args: ['-t', '5'], file: 'wall', input: `${text.title}\n${text.body}\n`})
    const command = notifyCommand(text, {gid: 1000, runtimeDir: '/run/user/1000', uid: 1000})
    const body = text.body.replace('<b>x</b>', '&lt;b&gt;x&lt;/b&gt;').replace('& $(reboot)', '&amp; $(reboot)')
    expect(command).to.deep.equal({
      args: ['--reuid=1000', '--regid=1000', '--clear-groups', '--', toolPath('notify-send', 'linux'), '--urgency=critical', '--app-name=nm-guard', '--icon=dialog-warning', '--', text.title, body],
      env: {DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus', HOME: undefined, XDG_RUNTIME_DIR: '/run/user/1000'},
      file: 'setpriv',
    })
  })

  it('Linux: finds the graphical sessions through logind (greeter and text sessions left out) and notifies each user once, on the bus the user owns', async () => {
    // `loginctl list-sessions --no-legend` as systemd 252 prints it, then as 255 does (more columns).
    expect(parseSessionIds('      2 1000 zhangsan seat0 tty2\n     c1  117 lightdm  seat0\n')).to.deep.equal(['2', 'c1'])
    expect(parseSessionIds('     2 1000 zhangsan seat0 1234 user    tty2 no  -\n    c1  117 lightdm  seat0 1100 greeter      no  -\n')).to.deep.equal(['2', 'c1'])
    expect(graphicalUid('User=1000\nType=wayland\nClass=user\n')).to.equal(1000)
    expect(graphicalUid('User=117\nType=x11\nClass=greeter\n')).to.equal(null)
    expect(graphicalUid('User=1000\nType=tty\nClass=user\n')).to.equal(null)

    // A real runtime folder with a real listening bus socket, both owned by this process's user.
    const uid = process.getuid?.() ?? 0
    const runUser = mkdtempSync(join(tmpdir(), 'nmg-run-user-'))
    mkdirSync(join(runUser, String(uid)))
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(join(runUser, String(uid), 'bus'), resolve))
    try {
      const show = (type: string, cls: string, user = uid) => ({stdout: `User=${user}\nType=${type}\nClass=${cls}\n`})
      const exec = fakeExec({
        'loginctl list-sessions --no-legend --no-pager': {stdout: `  3 ${uid} clerk seat0 tty2\n  5 ${uid} clerk seat0\n  c1 117 lightdm seat0\n  7 4242 ghost\n`},
        'loginctl show-session 3 -p User -p Type -p Class --no-pager': show('x11', 'user'),
        'loginctl show-session 5 -p User -p Type -p Class --no-pager': show('wayland', 'user'),
        'loginctl show-session c1 -p User -p Type -p Class --no-pager': show('x11', 'greeter', 117),
        // A session whose user has no bus in the runtime folders: nothing to send to.
        'loginctl show-session 7 -p User -p Type -p Class --no-pager': show('x11', 'user', 4242),
        setpriv: {stdout: ''},
        wall: {stdout: ''},
      })
      const channels = await showLinuxNotice(text, {exec, runUserDir: runUser})
      expect(channels).to.deep.equal([
        {channel: 'wall', status: 'shown'},
        {channel: `notify-send (uid ${uid})`, status: 'shown'},
      ])
      const expected = notifyCommand(text, {gid: process.getgid?.() ?? 0, runtimeDir: join(runUser, String(uid)), uid})
      expect(exec.calls.filter(([file]) => file === 'setpriv')).to.deep.equal([[expected.file, ...expected.args]])
      // No graphical session at all: nobody to tell, which is not a failure.
      const none = await showLinuxNotice(text, {exec: fakeExec({'loginctl list-sessions --no-legend --no-pager': {stdout: ''}, wall: {stdout: ''}}), runUserDir: runUser})
      expect(none).to.deep.equal([
        {channel: 'wall', status: 'shown'},
        {channel: 'notify-send', status: 'none'},
      ])
    } finally {
      server.close()
    }
  })

  it('Windows: msg.exe from System32, the message one argument that CreateProcess splits back whole, no switch of the contact\'s own', () => {
    const args = msgArgs(text)
    expect(args.slice(0, 2)).to.deep.equal(['*', '/TIME:0'])
    expect(args).to.have.length(3)
    const line = windowsCommandLine(toolPath('msg', 'win32'), args)
    expect(line.startsWith('C:\\Windows\\System32\\msg.exe * /TIME:0 "【网络安全事件】本机已断网\n')).to.equal(true)
    const split = splitWindowsCommandLine(line)
    expect(split).to.have.length(4)
    expect(split[3]).to.equal(args[2])
    // The contact's double quotes are full-width: nothing in it closes the quoted message.
    expect(args[2]).to.contain('0311-1234567＂ /SERVER:evil').and.not.to.contain('"')
    expect([...(args[2] as string)].length).to.be.at.most(MSG_MAX_CHARS)
    // The English text with a contact at the policy's limit is longer than msg takes: cut at its limit.
    const long = msgArgs(screenNoticeText('en', {at: AT, contact: 'x'.repeat(120)}))[2] as string
    expect([...long].length).to.equal(MSG_MAX_CHARS)
  })

  it('macOS: the AppleScript is fixed text; the notice travels as the run handler\'s arguments', () => {
    const args = osascriptArgs(text)
    const scripts = args.filter((_, i) => args[i - 1] === '-e')
    expect(scripts).to.deep.equal(DIALOG_SCRIPT)
    expect(scripts.join('\n')).not.to.contain('张三')
    expect(args.slice(-3)).to.deep.equal([text.title, text.body, '知道了'])
    expect(OSASCRIPT).to.equal('/usr/bin/osascript')
  })

  it('takes the contact from the policy and shows it through the exact command (Windows)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-screen-'))
    const exec = fakeExec({msg: {stdout: ''}})
    const outcome = await startScreenNotice({exec, isolatedAt: AT, lang: 'zh-CN', platform: 'win32', policy: policyWithContact(root, HOSTILE), root})
    expect(outcome.shown).to.equal(true)
    expect(outcome.channels).to.deep.equal([{channel: 'msg', status: 'shown'}])
    expect(exec.calls).to.deep.equal([[toolPath('msg', 'win32'), ...msgArgs(text)]])
  })

  it('records a failure per channel and never throws: msg missing (Windows Home), msg refusing, a program that hangs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-screen-'))
    const missing = await startScreenNotice({exec: fakeExec({}), isolatedAt: AT, lang: 'zh-CN', platform: 'win32', root})
    expect(missing).to.deep.include({channels: [{channel: 'msg', error: 'msg.exe not found', status: 'failed'}], shown: false})
    const refused = await startScreenNotice({exec: fakeExec({msg: {code: 1, stdout: 'Error 1722 getting session names'}}), isolatedAt: AT, lang: 'zh-CN', platform: 'win32', root})
    expect(refused.channels).to.deep.equal([{channel: 'msg', error: 'exit 1: Error 1722 getting session names', status: 'failed'}])
    // A program that hangs past the budget: the wait ends, the outcome says so.
    const hung: Exec = () => new Promise(() => {})
    const late = await startScreenNotice({budgetMs: 50, exec: hung, isolatedAt: AT, lang: 'zh-CN', platform: 'darwin', root})
    expect(late.channels).to.deep.equal([{channel: '-', error: 'not shown within 50 ms', status: 'failed'}])
  })

  describe('on Linux, for real', function () {
    this.timeout(60_000)
    const children: ChildProcess[] = []
    let base: string | undefined
    let stopX: (() => void) | undefined

    after(() => {
      for (const child of children) child.kill('SIGKILL')
      stopX?.()
      if (base) rmSync(base, {force: true, recursive: true})
    })

    /** Spawns as nobody (uid 65534), the user of the test-made graphical session. */
    const asNobody = (argv: string[], env: Record<string, string>): ChildProcess => {
      const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], {env: {PATH: '/usr/bin:/bin', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
      children.push(child)
      return child
    }

    it('notify-send reaches the notification daemon of a logged-in graphical user, as that user; a missing wall is recorded, not fatal', async function () {
      requirePart(this, isRoot(), 'root (the notice runs notify-send as the session user)')
      for (const [tool, pkg] of [['notify-send', 'libnotify-bin'], ['dunst', 'dunst'], ['dunstctl', 'dunst'], ['dbus-daemon', 'dbus-daemon'], ['dbus-send', 'dbus-bin'], ['setpriv', 'util-linux']]) {
        requirePart(this, hasCommand(tool as string), `${tool} (package ${pkg})`)
      }
      requirePart(this, xvfbPresent(), 'Xvfb and xclip (packages xvfb, xclip)')

      // A logind-style runtime folder for uid 65534 with its session bus, and a desktop's
      // notification daemon (dunst) on a throwaway X server, all running as that user.
      base = mkdtempSync(join(tmpdir(), 'nmg-notice-'))
      chmodSync(base, 0o755)
      const runUser = join(base, 'run-user')
      const runtime = join(runUser, '65534')
      mkdirSync(runtime, {recursive: true})
      chmodSync(runUser, 0o755)
      chownSync(runtime, 65534, 65534)
      chmodSync(runtime, 0o700)
      const bus = `unix:path=${join(runtime, 'bus')}`
      const x = await startXvfb()
      stopX = x.stop
      const daemon = asNobody(['dbus-daemon', '--session', `--address=${bus}`, '--nofork', '--print-address'], {HOME: runtime})
      await new Promise<void>((resolve, reject) => {
        createInterface({input: daemon.stdout!}).once('line', () => resolve())
        daemon.once('exit', (code) => reject(new Error(`dbus-daemon exited ${code}`)))
      })
      const session = {DBUS_SESSION_BUS_ADDRESS: bus, HOME: runtime}
      asNobody(['dunst'], {...session, DISPLAY: x.env.DISPLAY ?? ''})
      const nobody = (argv: string[]): string => execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], {encoding: 'utf8', env: {PATH: '/usr/bin:/bin', ...session}, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000})
      for (let i = 0; ; i++) {
        try {
          nobody(['dbus-send', '--print-reply', '--dest=org.freedesktop.Notifications', '/org/freedesktop/Notifications', 'org.freedesktop.Notifications.GetServerInformation'])
          break
        } catch (error) {
          if (i >= 50) throw error
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }

      // This machine's programs, as spawned, except: no logind (the runtime folders are what is
      // left to look at), and wall a path where nothing is installed.
      const exec: Exec = (file, args, options) => {
        if (toolName(file) === 'loginctl') return Promise.reject(missingTool('loginctl'))
        return realExec(toolName(file) === 'wall' ? join(base as string, 'missing', 'wall') : file, args, options)
      }
      const root = mkdtempSync(join(tmpdir(), 'nmg-screen-'))
      const outcome = await startScreenNotice({exec, isolatedAt: AT, lang: 'zh-CN', platform: 'linux', policy: policyWithContact(root, HOSTILE), root, runUserDir: runUser})
      expect(outcome.channels).to.deep.equal([
        {channel: 'wall', error: 'wall not found', status: 'failed'},
        {channel: 'notify-send (uid 65534)', status: 'shown'},
      ])
      expect(outcome.shown).to.equal(true)

      // What the daemon was given: dunst keeps a critical notification on screen; closing it moves it to the history.
      nobody(['dunstctl', 'close-all'])
      const history = JSON.parse(nobody(['dunstctl', 'history'])) as {data: Array<Array<Record<string, {data: unknown}>>>}
      const shown = history.data[0]?.[0]
      expect(shown?.summary?.data).to.equal('【网络安全事件】本机已断网')
      expect(shown?.appname?.data).to.equal('nm-guard')
      expect(shown?.body?.data).to.equal(notifyCommand(text, {gid: 65534, runtimeDir: runtime, uid: 65534}).args.at(-1))
      expect(String(shown?.body?.data)).to.contain('$(reboot) `id` &lt;b&gt;x&lt;/b&gt;[31m"; end run; do shell script "id')
    })
  })
})

describe('disconnect tells the person at the PC, and records it', () => {
  const profiles = fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')

  /** Windows as the disconnect flow test answers it (elevated, firewall local, adapter back at once), and `msg` as given. */
  const windows = (msg: FakeAnswer | undefined): Exec & {calls: string[][]} => {
    const inner = fakeExec({
      netsh: {raw: profiles},
      'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')},
      whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')},
      ...(msg ? {msg} : {}),
    })
    const state = psStdout(...psFixture('incident/ps-state-local.json'))
    const run = (async (file, args, options) => {
      if (toolName(file) === 'powershell' && String(options?.input ?? '').includes('-PolicyStore RSOP')) {
        inner.calls.push([file, ...args])
        return {code: 0, raw: Buffer.from(state), stderr: '', stdout: state}
      }
      return inner(file, args, options)
    }) as Exec & {calls: string[][]}
    run.calls = inner.calls
    return run
  }
  const options = (root: string, exec: Exec) => ({exec, hostname: 'GC-XMT-01', keepCollector: false, lang: 'zh-CN' as const, platform: 'win32' as const, reason: null, root})

  it('shown: right after the cut is verified, in the timeline at that moment, no warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-screen-flow-'))
    const exec = windows({stdout: ''})
    const result = await disconnect(options(root, exec))
    expect(result.exit_code).to.equal(0)
    expect(result.screen_notice).to.deep.include({channels: [{channel: 'msg', status: 'shown'}], shown: true})
    const msg = exec.calls.find(([file]) => toolName(file ?? '') === 'msg')
    expect(msg?.slice(0, 3)).to.deep.equal(['C:\\Windows\\System32\\msg.exe', '*', '/TIME:0'])
    expect(msg?.[3]).to.contain('请立即联系：本单位网络安全负责人。')
    // Not before the cut: the firewall was set first.
    const blocked = exec.calls.findIndex(([, ...args]) => args.join(' ') === 'advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound')
    expect(exec.calls.indexOf(msg as string[])).to.be.greaterThan(blocked)
    const events = (await readJournal(root))?.timeline.map((e) => e.event) ?? []
    expect(events.indexOf('incident.timeline.screenNotice.shown')).to.be.greaterThan(events.indexOf('incident.timeline.verified'))
    // It runs alongside evidence collection: where it lands among those entries depends on timing,
    // so only "after the verified cut" is asserted.
    expect(result.warnings.join('\n')).not.to.contain('屏幕')
  })

  it('not shown (msg.exe missing): a warning and a timeline entry, the disconnect itself succeeds', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-screen-flow-'))
    const result = await disconnect(options(root, windows(undefined)))
    expect(result.exit_code).to.equal(0)
    expect(result.method).to.equal('windows-firewall')
    expect(result.screen_notice.shown).to.equal(false)
    expect(result.warnings).to.include('未能在本机屏幕上显示提示（msg: msg.exe not found）：请当面告知使用者')
    const entry = (await readJournal(root))?.timeline.find((e) => e.event === 'incident.timeline.screenNotice.failed')
    expect(entry?.params).to.deep.equal({channels: 'msg: msg.exe not found'})
    expect(readFileSync(result.report_path as string, 'utf8')).to.contain('未能在本机屏幕上显示断网提示')
  })
})
